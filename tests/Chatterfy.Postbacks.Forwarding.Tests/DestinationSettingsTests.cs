using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>Rule settings: binding, validation messages that name fields, defaults and secrets.</summary>
public sealed class DestinationSettingsTests
{
    private static readonly FacebookConversionsDestination Facebook = new();

    private static InvalidDestinationSettingsException Refused(string json)
    {
        var act = () => Facebook.CreateProfile(JsonDocument.Parse(json).RootElement);
        return act.Should().Throw<InvalidDestinationSettingsException>().Which;
    }

    [Fact]
    public void FacebookSettings_MissingPixelAndToken_NameBothFields() =>
        Refused("{}").Errors.Select(e => e.Field).Should().Equal("settings.pixelId", "settings.accessToken");

    [Theory]
    [InlineData("""{"pixelId":"12ab","accessToken":"t"}""", "settings.pixelId")]
    [InlineData("""{"pixelId":"1","accessToken":"t","apiVersion":"21"}""", "settings.apiVersion")]
    [InlineData("""{"pixelId":"1","accessToken":"t","apiVersion":"v21"}""", "settings.apiVersion")]
    [InlineData("""{"pixelId":"1","accessToken":"t","actionSource":"telegram"}""", "settings.actionSource")]
    [InlineData("""{"pixelId":"1","accessToken":"t","graphBaseUrl":"graph.facebook.com"}""", "settings.graphBaseUrl")]
    [InlineData("""{"pixelId":"1","accessToken":"t","testEventCode":"TEST 1"}""", "settings.testEventCode")]
    [InlineData("""{"pixelId":"1","accessToken":"t","events":{"sale":"Purchase!"}}""", "settings.events.sale")]
    [InlineData("""{"pixelId":"1","accessToken":"t","events":{"not an event":"Lead"}}""", "settings.events.not an event")]
    public void FacebookSettings_InvalidValue_NamesTheField(string json, string field) =>
        Refused(json).Errors.Should().ContainSingle().Which.Field.Should().Be(field);

    [Fact]
    public void FacebookSettings_TwoNamesForOneEvent_AreRefused() =>
        Refused("""{"pixelId":"1","accessToken":"t","events":{"sale":"Purchase","ftd":"Lead"}}""").Errors.Single().Message.Should().Contain("first-deposit");

    [Fact]
    public void FacebookSettings_UnknownMember_IsRefusedWithoutDotNetTypeNames()
    {
        var error = Refused("""{"pixelId":"1","accessToken":"t","pixel":"2"}""").Errors.Single();

        error.Field.Should().Be("settings.pixel");
        error.Message.Should().Be("'pixel' is not a setting of the Facebook Conversions API destination.");
    }

    [Fact]
    public void FacebookSettings_WrongType_IsRefusedWithoutDotNetTypeNames()
    {
        var error = Refused("""{"pixelId":1,"accessToken":"t"}""").Errors.Single();

        error.Field.Should().Be("settings.pixelId");
        error.Message.Should().NotContain("System.");
    }

    [Fact]
    public void FacebookProfile_DefaultMapping_ForwardsRegistrationsAndFirstDepositsOnly()
    {
        var profile = Facebook.CreateProfile(JsonDocument.Parse("""{"pixelId":"1","accessToken":"t"}""").RootElement);

        profile.Forwards(PostbackEvent.Registration).Should().BeTrue();
        profile.Forwards(PostbackEvent.FirstDeposit).Should().BeTrue();
        profile.Forwards(PostbackEvent.Deposit).Should().BeFalse();
        profile.Endpoints.Single().Url.Should().Be(new Uri("https://graph.facebook.com"));
    }

    [Fact]
    public void FacebookProfile_MappingToNull_StopsForwardingThatEvent() =>
        Facebook.CreateProfile(JsonDocument.Parse("""{"pixelId":"1","accessToken":"t","events":{"registration":null}}""").RootElement)
            .Forwards(PostbackEvent.Registration).Should().BeFalse();

    [Fact]
    public void FacebookProfile_BatchKey_IsPerPixelAndTokenWithoutRevealingTheToken()
    {
        var a = Facebook.CreateProfile(JsonDocument.Parse("""{"pixelId":"111","accessToken":"secret-token-a"}""").RootElement);
        var sameAsA = Facebook.CreateProfile(JsonDocument.Parse("""{"pixelId":"111","accessToken":"secret-token-a"}""").RootElement);
        var otherToken = Facebook.CreateProfile(JsonDocument.Parse("""{"pixelId":"111","accessToken":"secret-token-b"}""").RootElement);
        var testEvents = Facebook.CreateProfile(JsonDocument.Parse("""{"pixelId":"111","accessToken":"secret-token-a","testEventCode":"TEST1"}""").RootElement);

        a.BatchKey.Should().Be(sameAsA.BatchKey).And.StartWith("111:").And.NotContain("secret");
        a.BatchKey.Should().NotBe(otherToken.BatchKey).And.NotBe(testEvents.BatchKey);
    }

    [Fact]
    public void MaskSecrets_HidesTheAccessTokenButItsLastFourCharacters()
    {
        var settings = JsonDocument.Parse("""{"pixelId":"123","AccessToken":"EAAB0123456789abcdefWXYZ","events":{"deposit":"Purchase"}}""").RootElement;

        var masked = Facebook.MaskSecrets(settings).GetRawText();

        masked.Should().Be("""{"pixelId":"123","AccessToken":"****WXYZ","events":{"deposit":"Purchase"}}""");
    }

    [Fact]
    public void MaskSecrets_HidesAShortSecretEntirely() =>
        Facebook.MaskSecrets(JsonDocument.Parse("""{"accessToken":"abc123"}""").RootElement).GetRawText().Should().Be("""{"accessToken":"****"}""");

    [Fact]
    public void Destinations_DeclareTheirSecrets()
    {
        Facebook.SecretSettings.Should().Equal("accessToken");
        new HttpPostback.HttpPostbackDestination().SecretSettings.Should().BeEmpty();
    }
}
