using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Forwarding.Tests.Samples;
using Chatterfy.Postbacks.Tests.Approvals;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>The settings schemas the dashboard renders each destination's form from.</summary>
public sealed class SettingsSchemaTests
{
    // Relaxed escaping keeps the approved files readable (apostrophes, arrows); it changes no value.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> DestinationIds => [FacebookConversionsDestination.DestinationId, HttpPostbackDestination.DestinationId];

    private static ForwardingDestination Destination(string id) =>
        id == FacebookConversionsDestination.DestinationId ? new FacebookConversionsDestination() : new HttpPostbackDestination();

    private static IEnumerable<string> WriteOnly(JsonObject schema) =>
        schema["properties"]!.AsObject().Where(p => p.Value!["writeOnly"]?.GetValue<bool>() == true).Select(p => p.Key);

    [Theory]
    [MemberData(nameof(DestinationIds))]
    public void SettingsSchema_BuiltInDestination_MatchesApprovedSchema(string destinationId)
    {
        var schema = Destination(destinationId).SettingsSchema;

        schema.Should().NotBeNull();
        Approver.Verify(schema!.ToJsonString(Indented), "schema." + destinationId);
    }

    [Fact]
    public void SettingsSchema_FacebookConversions_MarksOnlyTheAccessTokenWriteOnly() =>
        WriteOnly(new FacebookConversionsDestination().SettingsSchema!).Should().Equal("accessToken");

    [Fact]
    public void SettingsSchema_DestinationWithoutSecrets_MarksNothingWriteOnly() =>
        WriteOnly(new HttpPostbackDestination().SettingsSchema!).Should().BeEmpty();

    [Fact]
    public void SettingsSchema_PluginDestinationSecret_IsWriteOnly() =>
        WriteOnly(new WebhookDestination().SettingsSchema!).Should().Equal("signingKey");

    [Fact]
    public void SettingsSchema_FacebookConversions_RequiresPixelAndToken() =>
        new FacebookConversionsDestination().SettingsSchema!["required"]!.AsArray().Select(n => n!.GetValue<string>())
            .Should().Equal("pixelId", "accessToken");

    [Fact]
    public void SettingsSchema_DefaultsOfTheSettingsType_AreTheSchemasDefaults()
    {
        var properties = new FacebookConversionsDestination().SettingsSchema!["properties"]!;

        properties["apiVersion"]!["default"]!.GetValue<string>().Should().Be(FacebookConversionsDestination.DefaultApiVersion);
        properties["graphBaseUrl"]!["default"]!.GetValue<string>().Should().Be(FacebookConversionsDestination.DefaultGraphBaseUrl);
        properties["pixelId"]!["default"].Should().BeNull();
    }

    [Fact]
    public void SettingsSchema_ChangedByCaller_DoesNotChangeTheNextRead()
    {
        var destination = new FacebookConversionsDestination();

        destination.SettingsSchema!["properties"]!["accessToken"]!.AsObject().Remove("writeOnly");

        WriteOnly(destination.SettingsSchema!).Should().Equal("accessToken");
    }

    [Fact]
    public void SettingsSchema_PluginDestinationWithoutTypedSettings_IsNull() =>
        new HangingDestination(new HangingDestination.Calls()).SettingsSchema.Should().BeNull();
}
