using System.Text.Encodings.Web;
using System.Text.Json;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Networks.Binomo;
using Chatterfy.Postbacks.Networks.Custom;
using Chatterfy.Postbacks.Networks.OneWin;
using Chatterfy.Postbacks.Tests.Approvals;

namespace Chatterfy.Postbacks.Tests.Networks;

/// <summary>The settings schemas the dashboard renders each network's form from.</summary>
public sealed class SettingsSchemaTests
{
    // Relaxed escaping keeps the approved files readable (apostrophes, arrows); it changes no value.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> BuiltInNetworks => [NetworkIds.Binomo, NetworkIds.OneWin, NetworkIds.Custom];

    private static AffiliateNetwork Network(string id) => id switch
    {
        NetworkIds.Binomo => new BinomoNetwork(),
        NetworkIds.OneWin => new OneWinNetwork(),
        _ => new CustomNetwork(),
    };

    [Theory]
    [MemberData(nameof(BuiltInNetworks))]
    public void SettingsSchema_BuiltInNetwork_MatchesApprovedSchema(string networkId)
    {
        var schema = Network(networkId).SettingsSchema;

        schema.Should().NotBeNull();
        Approver.Verify(schema!.ToJsonString(Indented), "schema." + networkId);
    }

    [Theory]
    [MemberData(nameof(BuiltInNetworks))]
    public void SettingsSchema_EveryProperty_HasTitleAndDescriptionAndIsASettingTheBinderAccepts(string networkId)
    {
        var network = Network(networkId);
        var properties = network.SettingsSchema!["properties"]!.AsObject();

        properties.Should().NotBeEmpty();
        foreach (var (name, property) in properties)
        {
            property!["title"]?.GetValue<string>().Should().NotBeNullOrWhiteSpace($"'{name}' is labelled");
            property["description"]?.GetValue<string>().Should().NotBeNullOrWhiteSpace($"'{name}' has a hint");

            // The schema's names are the binder's: a null value for each is bound, never refused as "not a setting".
            var refused = Record.Exception(() => network.CreateProfile(JsonDocument.Parse($$"""{"{{name}}":null}""").RootElement));
            (refused as InvalidNetworkSettingsException)?.Errors.Should().NotContain(e => e.Message.Contains("is not a setting", StringComparison.Ordinal));
            refused.Should().Match(e => e == null || e is InvalidNetworkSettingsException);
        }
    }

    [Fact]
    public void SettingsSchema_CustomNetwork_RequiresOnlyTheClickIdMacro()
    {
        var schema = new CustomNetwork().SettingsSchema!;

        schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("clickIdMacro");
    }

    [Fact]
    public void SettingsSchema_NetworkWithOnlyOptionalSettings_RequiresNothing()
    {
        new OneWinNetwork().SettingsSchema!["required"].Should().BeNull();
        new BinomoNetwork().SettingsSchema!["required"].Should().BeNull();
    }

    [Fact]
    public void CreateProfile_RequiredSettingMissing_IsRefusedWithTheAttributesMessage()
    {
        var act = () => new CustomNetwork().CreateProfile(JsonDocument.Parse("""{"clickIdMacro":""}""").RootElement);

        var error = act.Should().Throw<InvalidNetworkSettingsException>().Which.Errors.Should().ContainSingle().Which;
        error.Field.Should().Be("settings.clickIdMacro");
        error.Message.Should().Contain("click id macro is required");
    }

    [Fact]
    public void SettingsSchema_ChangedByCaller_DoesNotChangeTheNextRead()
    {
        var network = new CustomNetwork();
        var first = network.SettingsSchema!;

        first["properties"]!.AsObject().Remove("clickIdMacro");
        first["title"] = "changed";

        var second = network.SettingsSchema!;
        second["properties"]!["clickIdMacro"].Should().NotBeNull();
        second["title"].Should().BeNull();
    }

    [Fact]
    public void SettingsSchema_PluginNetworkWithoutTypedSettings_IsNull() =>
        new UntypedNetwork().SettingsSchema.Should().BeNull();

    [Fact]
    public void SettingsSchema_PluginNetworkWithTypedSettings_DescribesThem()
    {
        var schema = new Samples.AcmeNetwork().SettingsSchema!;

        var currency = schema["properties"]!["currency"]!;
        currency["title"]!.GetValue<string>().Should().Be("Currency");
        currency["default"]!.GetValue<string>().Should().Be("EUR");
    }

    private sealed class UntypedNetwork : AffiliateNetwork
    {
        public override string Id => "untyped";

        public override string DisplayName => "Untyped";

        public override NetworkProfile CreateProfile(JsonElement? settings) => throw new NotSupportedException();
    }
}
