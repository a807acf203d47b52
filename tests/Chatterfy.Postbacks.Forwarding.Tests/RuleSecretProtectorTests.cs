using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Tests;

public sealed class RuleSecretProtectorTests
{
    private static readonly string[] Secrets = ["accessToken", "signingKey", "credentials", "pin"];

    private readonly EphemeralDataProtectionProvider _keys = new();

    [Fact]
    public void Protect_ThenTryReveal_GivesBackEverySecretOfAnyKind_AndLeavesTheOtherSettingsAsWritten()
    {
        var protector = Protector(_keys);
        var settings = Json("""{"pixelId":"123","ACCESSTOKEN":"EAAB-token","credentials":{"user":"u","password":"p"},"pin":1234,"signingKey":null,"note":"Весна 🌸"}""");

        var stored = protector.Protect(settings, Secrets)!.Value;
        protector.TryReveal(stored, Secrets, out var revealed).Should().BeTrue();

        stored.GetProperty("ACCESSTOKEN").GetString().Should().StartWith("dp1:", "names match case-insensitively");
        stored.GetProperty("credentials").GetString().Should().StartWith("dp1:", "a secret of any JSON kind is protected");
        stored.GetProperty("pin").GetString().Should().StartWith("dp1:");
        stored.GetProperty("signingKey").ValueKind.Should().Be(JsonValueKind.Null, "a null secret has nothing to protect");
        stored.GetRawText().Should().Contain("\"pixelId\":\"123\"").And.Contain("\"note\":\"Весна ", "the other settings stay readable");
        JsonElement.DeepEquals(revealed, settings).Should().BeTrue(revealed.GetRawText());
    }

    [Fact]
    public void Protect_SettingsWhoseSecretsAreProtectedOrAbsent_ReturnsNull()
    {
        var protector = Protector(_keys);
        var stored = protector.Protect(Json("""{"accessToken":"EAAB-token"}"""), Secrets)!.Value;

        protector.Protect(stored, Secrets).Should().BeNull("protecting twice changes nothing");
        protector.Protect(Json("""{"urlTemplate":"https://t.example/pb"}"""), Secrets).Should().BeNull();
        protector.Protect(Json("""{"accessToken":"EAAB-token"}"""), []).Should().BeNull();
    }

    [Fact]
    public void TryReveal_WithOtherKeysOrWithoutDataProtection_IsFalse_AndPlainSecretsAreReadAsTheyAre()
    {
        var stored = Protector(_keys).Protect(Json("""{"accessToken":"EAAB-token"}"""), Secrets)!.Value;
        var plain = Json("""{"accessToken":"EAAB-plain"}""");

        Protector(new EphemeralDataProtectionProvider()).TryReveal(stored, Secrets, out _).Should().BeFalse();
        Protector(null).TryReveal(stored, Secrets, out _).Should().BeFalse();
        Protector(null).TryReveal(plain, Secrets, out var revealed).Should().BeTrue();
        revealed.GetProperty("accessToken").GetString().Should().Be("EAAB-plain");
    }

    [Fact]
    public void RevealForMasking_UnreadableSecret_BecomesEmpty_SoItMasksWithoutAHint()
    {
        var stored = Protector(_keys).Protect(Json("""{"accessToken":"EAAB-token-0123456789abcd","pixelId":"1"}"""), Secrets)!.Value;

        var foreign = Protector(new EphemeralDataProtectionProvider()).RevealForMasking(stored, Secrets);
        var own = Protector(_keys).RevealForMasking(stored, Secrets);

        foreign.GetProperty("accessToken").GetString().Should().BeEmpty();
        own.GetProperty("accessToken").GetString().Should().Be("EAAB-token-0123456789abcd");
        SecretMasker.Mask(foreign, Secrets).GetProperty("accessToken").GetString().Should().Be("****");
    }

    private static RuleSecretProtector Protector(IDataProtectionProvider? provider) =>
        new(() => provider, new StaticOptions(new ForwardingOptions { ProtectSecrets = true }));

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private sealed class StaticOptions(ForwardingOptions value) : IOptionsMonitor<ForwardingOptions>
    {
        public ForwardingOptions CurrentValue => value;

        public ForwardingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ForwardingOptions, string?> listener) => null;
    }
}
