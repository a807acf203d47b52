using System.Text.Json;
using System.Text.Json.Nodes;
using Chatterfy.Postbacks.Dashboard.Forms;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Networks.Binomo;
using Chatterfy.Postbacks.Networks.Custom;
using Chatterfy.Postbacks.Networks.OneWin;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Tests.Forms;

public sealed class SettingsFormTests
{
    private const string Token = "EAABsecretTOKENvalue1234";

    // One property of every kind, as JsonSchemaExporter writes them (nullable types as ["x","null"]).
    private static readonly string KindsSchema = """
        {
          "type": "object",
          "properties": {
            "name": { "title": "Name", "description": "What it is called.", "type": "string" },
            "rate": { "type": ["number", "null"] },
            "count": { "type": "integer" },
            "enabled": { "type": "boolean", "default": true },
            "mode": { "type": "string", "enum": ["fast", "slow"] },
            "events": { "type": ["array", "null"], "items": { "type": ["string", "null"] } },
            "flags": { "type": ["object", "null"], "additionalProperties": { "type": ["string", "null"] } },
            "nested": { "type": ["object", "null"], "properties": { "a": { "type": "string" } } },
            "token": { "type": ["string", "null"], "writeOnly": true }
          },
          "required": ["name"]
        }
        """;

    private static JsonObject Kinds() => JsonNode.Parse(KindsSchema)!.AsObject();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static Dictionary<string, StringValues> Posted(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => "settings." + v.Name, v => new StringValues(v.Value));

    private static Dictionary<string, StringValues> PostedAsShown(SettingsForm form) =>
        form.Fields.Where(f => f.Value is not null && !(f.Kind == SettingsFieldKind.Checkbox && f.Value == "false"))
            .ToDictionary(f => f.FormName, f => new StringValues(f.Value));

    private static SettingsField Field(SettingsForm form, string name) => form.Fields.Single(f => f.Name == name);

    [Fact]
    public void Create_Schema_ChoosesTheKindOfEachProperty()
    {
        var form = SettingsForm.Create(Kinds(), null);

        form.HasSchema.Should().BeTrue();
        form.Fields.Select(f => (f.Name, f.Kind)).Should().Equal(
            ("name", SettingsFieldKind.Text),
            ("rate", SettingsFieldKind.Number),
            ("count", SettingsFieldKind.Number),
            ("enabled", SettingsFieldKind.Checkbox),
            ("mode", SettingsFieldKind.Select),
            ("events", SettingsFieldKind.Lines),
            ("flags", SettingsFieldKind.KeyValueLines),
            ("nested", SettingsFieldKind.Json),
            ("token", SettingsFieldKind.Text));
        Field(form, "count").IntegerOnly.Should().BeTrue();
        Field(form, "rate").IntegerOnly.Should().BeFalse();
        Field(form, "mode").Options.Should().Equal("fast", "slow");
    }

    [Fact]
    public void Create_Schema_TakesLabelHintAndRequiredFromIt()
    {
        var form = SettingsForm.Create(Kinds(), null);

        var name = Field(form, "name");
        name.Label.Should().Be("Name");
        name.Hint.Should().Be("What it is called.");
        name.Required.Should().BeTrue();
        name.FormName.Should().Be("settings.name");
        Field(form, "rate").Label.Should().Be("rate", "without a title the JSON name is the label");
        Field(form, "rate").Required.Should().BeFalse();
    }

    [Fact]
    public void Create_NewForm_ChecksACheckboxByItsDefaultAndFillsNothingElse()
    {
        var form = SettingsForm.Create(Kinds(), null);

        Field(form, "enabled").Value.Should().Be("true");
        form.Fields.Where(f => f.Name != "enabled").Should().OnlyContain(f => f.Value == null);
    }

    [Fact]
    public void Create_CurrentSettings_ShowsEachValueAsText()
    {
        var form = SettingsForm.Create(Kinds(), Json("""
            {"name":"n","rate":0.10,"count":3,"enabled":false,"mode":"slow","events":["a","b"],"flags":{"reg":"registration","x":null},"nested":{"a":"b"}}
            """));

        Field(form, "name").Value.Should().Be("n");
        Field(form, "rate").Value.Should().Be("0.10");
        Field(form, "count").Value.Should().Be("3");
        Field(form, "enabled").Value.Should().Be("false");
        Field(form, "mode").Value.Should().Be("slow");
        Field(form, "events").Value.Should().Be("a\nb");
        Field(form, "flags").Value.Should().Be("reg=registration\nx=");
        JsonNode.Parse(Field(form, "nested").Value!)!.ToJsonString().Should().Be("""{"a":"b"}""");
    }

    [Fact]
    public void Read_EveryKind_WritesTheirJsonAndOmitsEmptyOptionalFields()
    {
        var form = SettingsForm.Create(Kinds(), null);

        var result = form.Read(Posted(
            ("name", "n"), ("rate", " 0.10 "), ("count", "7"), ("mode", "fast"), ("events", "a\r\n\r\n b \n"),
            ("flags", "reg = registration\nftd=first-deposit\n"), ("nested", """{"a":"b"}"""), ("token", "")));

        result.IsValid.Should().BeTrue();
        result.Settings!.ToJsonString().Should().Be(
            """{"name":"n","rate":0.10,"count":7,"enabled":false,"mode":"fast","events":["a","b"],"flags":{"reg":"registration","ftd":"first-deposit"},"nested":{"a":"b"}}""");
    }

    [Theory]
    [InlineData("0.10", "0.10")]
    [InlineData("-12.500", "-12.500")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("1e3", "1000")]
    public void Read_Number_KeepsTheDecimalExact(string typed, string json)
    {
        var result = SettingsForm.Create(Kinds(), null).Read(Posted(("rate", typed)));

        result.Settings!["rate"]!.ToJsonString().Should().Be(json);
    }

    [Theory]
    [InlineData("rate", "1,5")]
    [InlineData("rate", "ten")]
    [InlineData("rate", "NaN")]
    [InlineData("count", "1.5")]
    [InlineData("mode", "medium")]
    [InlineData("flags", "no equals sign")]
    [InlineData("flags", "=value")]
    [InlineData("flags", "a=1\na=2")]
    [InlineData("nested", "{not json")]
    public void Read_BadValue_GivesThatFieldAnErrorNotAnException(string name, string typed)
    {
        var result = SettingsForm.Create(Kinds(), null).Read(Posted(("name", "n"), (name, typed)));

        result.IsValid.Should().BeFalse();
        result.Settings.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Key.Should().Be("settings." + name);
        result.Errors["settings." + name].Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Read_SeveralBadValues_GivesEachItsError()
    {
        var result = SettingsForm.Create(Kinds(), null).Read(Posted(("rate", "x"), ("count", "y")));

        result.Errors.Keys.Should().BeEquivalentTo("settings.rate", "settings.count");
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "true" }, true)]
    [InlineData(new[] { "on" }, true)]
    [InlineData(new[] { "false", "true" }, true)]
    [InlineData(new[] { "false" }, false)]
    public void Read_Checkbox_IsTrueOnlyWhenTicked(string[] posted, bool expected)
    {
        var values = new Dictionary<string, StringValues> { ["settings.enabled"] = new(posted) };

        var result = SettingsForm.Create(Kinds(), null).Read(values);

        result.Settings!["enabled"]!.GetValue<bool>().Should().Be(expected);
    }

    [Fact]
    public void Read_MapLineWithoutValue_IsNullWhenTheValuesMayBeNull()
    {
        var schema = new FacebookConversionsDestination().SettingsSchema;

        var result = SettingsForm.Create(schema, null).Read(Posted(("events", "deposit=\nsale=Purchase")));

        result.Settings!["events"]!.ToJsonString().Should().Be("""{"deposit":null,"sale":"Purchase"}""");
    }

    [Fact]
    public void Read_FormCollection_ReadsLikeTheDictionary()
    {
        var form = SettingsForm.Create(Kinds(), null);
        var posted = new FormCollection(Posted(("name", "n"), ("rate", "0.10")));

        form.Read(posted).Settings!.ToJsonString().Should().Be("""{"name":"n","rate":0.10,"enabled":false}""");
    }

    [Fact]
    public void Create_Secret_NeverCarriesTheStoredValue()
    {
        var form = SettingsForm.Create(new FacebookConversionsDestination().SettingsSchema, Json($$"""{"pixelId":"123","accessToken":"{{Token}}"}"""));

        var token = Field(form, "accessToken");
        token.WriteOnly.Should().BeTrue();
        token.HasStoredSecret.Should().BeTrue();
        token.Value.Should().BeNull();
        JsonSerializer.Serialize(form.Fields).Should().NotContain(Token).And.NotContain(Token[^4..]);
    }

    [Fact]
    public void Create_SecretNotStored_SaysSo() =>
        Field(SettingsForm.Create(new FacebookConversionsDestination().SettingsSchema, Json("""{"pixelId":"123"}""")), "accessToken")
            .HasStoredSecret.Should().BeFalse();

    [Fact]
    public void Read_EmptySecretWhileEditing_KeepsTheStoredOne()
    {
        var form = SettingsForm.Create(new FacebookConversionsDestination().SettingsSchema, Json($$"""{"pixelId":"123","accessToken":"{{Token}}"}"""));

        var result = form.Read(Posted(("pixelId", "123"), ("accessToken", "")), editing: true);

        result.IsValid.Should().BeTrue();
        result.Settings!.ContainsKey("accessToken").Should().BeFalse();
        result.KeptSecrets.Should().Equal("accessToken");
    }

    [Fact]
    public void Read_EmptySecretWhenCreating_IsOmittedNotKept()
    {
        var result = SettingsForm.Create(new FacebookConversionsDestination().SettingsSchema, null).Read(Posted(("pixelId", "123"), ("accessToken", "")));

        result.Settings!.ContainsKey("accessToken").Should().BeFalse();
        result.KeptSecrets.Should().BeEmpty();
    }

    [Fact]
    public void Read_NewSecretWhileEditing_ReplacesTheStoredOne()
    {
        var result = SettingsForm.Create(new FacebookConversionsDestination().SettingsSchema, null).Read(Posted(("accessToken", "NEW")), editing: true);

        result.Settings!["accessToken"]!.GetValue<string>().Should().Be("NEW");
        result.KeptSecrets.Should().BeEmpty();
    }

    public static TheoryData<string, string> RoundTrips => new()
    {
        { "binomo", """{"eventFlags":{"registration":"registration","first_dep":"first-deposit"}}""" },
        { "1win", """{"clickIdSub":"sub4","macros":{"amount":"{deposit_sum}","country":"{geo}"}}""" },
        { "custom", """{"clickIdMacro":"{subid}","amountMacro":"{payout}","currency":"EUR","fields":{"country":"{geo}","offer":"[offer_id]"}}""" },
        { "facebook-capi", """{"pixelId":"123456789012345","apiVersion":"v20.0","events":{"deposit":"Purchase","registration":null}}""" },
        { "http-postback", """{"urlTemplate":"https://t.example/pb?cid={{click.id}}&sum={{conversion.amount}}","method":"POST","bodyFormat":"json","events":["first-deposit","deposit"]}""" },
        { "kinds", """{"name":"n","rate":0.10,"count":3,"enabled":false,"mode":"slow","events":["a"],"flags":{"k":"v"},"nested":{"a":"b"}}""" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Read_ValuesAsShown_GiveTheSameSettings(string owner, string settings)
    {
        var schema = owner switch
        {
            "binomo" => new BinomoNetwork().SettingsSchema,
            "1win" => new OneWinNetwork().SettingsSchema,
            "custom" => new CustomNetwork().SettingsSchema,
            "facebook-capi" => new FacebookConversionsDestination().SettingsSchema,
            "http-postback" => new HttpPostbackDestination().SettingsSchema,
            _ => Kinds(),
        };
        var form = SettingsForm.Create(schema, Json(settings));

        var result = form.Read(PostedAsShown(form));

        result.Errors.Should().BeEmpty();
        JsonNode.DeepEquals(result.Settings, JsonNode.Parse(settings)).Should().BeTrue(result.Settings!.ToJsonString());
    }

    [Fact]
    public void Read_SecretSettingsAsShown_GiveTheSameSettingsWithTheSecretKept()
    {
        var stored = $$"""{"pixelId":"1","accessToken":"{{Token}}","testEventCode":"TEST1"}""";
        var form = SettingsForm.Create(new FacebookConversionsDestination().SettingsSchema, Json(stored));

        var result = form.Read(PostedAsShown(form), editing: true);

        result.Settings!.ToJsonString().Should().Be("""{"pixelId":"1","testEventCode":"TEST1"}""");
        result.KeptSecrets.Should().Equal("accessToken");
    }

    [Fact]
    public void Create_NoSchema_IsOneJsonTextArea()
    {
        var form = SettingsForm.Create(null, Json("""{"url":"https://x.example","n":0.10}"""));

        form.HasSchema.Should().BeFalse();
        var field = form.Fields.Should().ContainSingle().Which;
        field.Kind.Should().Be(SettingsFieldKind.Json);
        field.FormName.Should().Be("settings");
        JsonNode.Parse(field.Value!)!.ToJsonString().Should().Be("""{"url":"https://x.example","n":0.10}""");
    }

    [Fact]
    public void Read_NoSchema_ParsesTheObject()
    {
        var form = SettingsForm.Create(null, null);

        var result = form.Read(new Dictionary<string, StringValues> { ["settings"] = """{"a":[1,2],"b":0.10}""" });

        result.Settings!.ToJsonString().Should().Be("""{"a":[1,2],"b":0.10}""");
    }

    [Fact]
    public void Read_NoSchemaAndNothingTyped_IsAnEmptyObject() =>
        SettingsForm.Create(null, null).Read(new Dictionary<string, StringValues>()).Settings!.Count.Should().Be(0);

    [Theory]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    public void Read_NoSchemaAndNotAnObject_SaysWhy(string typed, string message)
    {
        var result = SettingsForm.Create(null, null).Read(new Dictionary<string, StringValues> { ["settings"] = typed });

        result.Settings.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Should().Match<KeyValuePair<string, string>>(e => e.Key == "settings" && e.Value.Contains(message));
    }

    [Theory]
    [InlineData("settings.name", "name")]
    [InlineData("settings.flags.reg", "flags")]
    [InlineData("settings.events[1]", "events")]
    [InlineData("settings.nam", null)]
    [InlineData("settings", null)]
    public void FieldFor_CoreErrorPath_FindsItsField(string path, string? field) =>
        (SettingsForm.Create(Kinds(), null).FieldFor(path)?.Name).Should().Be(field);

    [Fact]
    public void FieldFor_NoSchema_IsTheJsonField() =>
        SettingsForm.Create(null, null).FieldFor("settings.url")!.FormName.Should().Be("settings");
}
