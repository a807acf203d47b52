using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>Masking a rule's secrets in what a destination answered, before an attempt is stored or logged.</summary>
public sealed class SecretScrubberTests
{
    private const string Token = "EAAB+tok/en=0123456789";

    [Theory]
    [InlineData("echo EAAB+tok/en=0123456789 end")]
    [InlineData("echo eaab+TOK/EN=0123456789 end")]
    [InlineData("echo EAAB%2Btok%2Fen%3D0123456789 end")]
    [InlineData("echo eaab%2btok%2fen%3d0123456789 end")]
    [InlineData("echo EAAB\\u002Btok/en\\u003D0123456789 end")]
    [InlineData("echo EAAB+tok\\/en=0123456789 end")]
    public void Scrub_ASecretAsWrittenEncodedOrEscaped_IsMasked(string text)
    {
        new SecretScrubber([Token]).Scrub(text).Should().Be("echo **** end");
    }

    [Theory]
    [InlineData("POST /events access_token=EAAB123&data=x", "POST /events access_token=****&data=x")]
    [InlineData("""{"data":[],"access_token":"EAAB123"}""", """{"data":[],"access_token":"****"}""")]
    [InlineData("""{"message":"{\"access_token\":\"EAAB123\",\"data\":[]}"}""", """{"message":"{\"access_token\":\"****\",\"data\":[]}"}""")]
    [InlineData("ACCESS_TOKEN%3DEAAB123%26data", "ACCESS_TOKEN%3D****%26data")]
    [InlineData("{'access_token': 'EAAB123'}", "{'access_token': '****'}")]
    [InlineData("no token here", "no token here")]
    public void Scrub_AnAccessTokenValue_IsMaskedWithoutKnowingIt(string text, string expected)
    {
        SecretScrubber.PatternsOnly.Scrub(text).Should().Be(expected);
    }

    [Fact]
    public void Scrub_ASecretCutAtTheEndOfACappedExcerpt_IsMasked()
    {
        var body = new string('x', DeliveryOutcome.MaxResponseExcerptLength - 15) + "token: " + Token;
        var outcome = DeliveryOutcome.Retry(DeliveryErrorCodes.HttpStatus, "HTTP 503") with { ResponseExcerpt = body };

        var scrubbed = new SecretScrubber([Token]).Scrub(outcome.ResponseExcerpt);

        outcome.ResponseExcerpt.Should().EndWith("token: EAAB+tok", "the cap cut the token");
        scrubbed.Should().EndWith("token: ****").And.NotContain("EAAB");
    }

    [Fact]
    public void Scrub_Completion_MasksTheReasonExcerptAndDestinationError()
    {
        var completion = new OutboxCompletion
        {
            LeaseId = "lease",
            Status = OutboxMessageStatus.DeadLettered,
            CompletedAt = ForwardingHost.Now,
            Attempt = new OutboxAttempt
            {
                MessageId = "m1",
                Number = 1,
                StartedAt = ForwardingHost.Now,
                Status = DeliveryStatus.DeadLetter,
                ErrorCode = DeliveryErrorCodes.DestinationError,
                Reason = "Meta refused: " + Token,
                ResponseExcerpt = "{\"message\":\"" + Token + "\"}",
                DestinationError = new DestinationError { Code = "100", Message = "bad " + Token, TraceId = Token },
            },
        };

        var attempt = new SecretScrubber([Token]).Scrub(completion).Attempt;

        attempt.Reason.Should().Be("Meta refused: ****");
        attempt.ResponseExcerpt.Should().Be("{\"message\":\"****\"}");
        attempt.DestinationError.Should().Be(new DestinationError { Code = "100", Message = "bad ****", TraceId = "****" });
    }

    [Fact]
    public async Task CreateRuleProfile_MasksTheDestinationsSecretSettings()
    {
        await using var host = ForwardingHost.Create();
        var facebook = host.Registry.Destinations.OfType<FacebookConversionsDestination>().Single();

        var profile = facebook.CreateRuleProfile(JsonSerializer.SerializeToElement(new { pixelId = Graph.PixelId, accessToken = Graph.AccessToken }));

        profile.Secrets.Scrub($"echo {Graph.AccessToken} for pixel {Graph.PixelId}").Should().Be($"echo **** for pixel {Graph.PixelId}");
    }

    [Theory]
    [InlineData("https://t.example/form/aDsHSQnhenrV/X3?key=Zx81kQ2mPqW&cid={{click.id}}&status=lead", "aDsHSQnhenrV,Zx81kQ2mPqW")]
    [InlineData("https://t.example/postback?cid={{click.id}}&event={{conversion.event}}&goal=ftd&source=facebook", "")]
    [InlineData("https://t.example/7d3b1a2c/postback?subid={{click.id}}&sig=k%2F9xQ21pLm#frag", "7d3b1a2c,k/9xQ21pLm")]
    [InlineData("https://t.example/Postback/click.php?token=abc{{click.id}}", "")]
    public void LiteralKeys_KeysWrittenIntoAPostbackUrl_AreSecretsWordsAreNot(string template, string keys)
    {
        PostbackUrlTemplate.LiteralKeys(template).Should().Equal(keys.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}
