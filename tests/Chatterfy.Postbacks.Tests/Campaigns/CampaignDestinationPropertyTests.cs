using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using CsCheck;

namespace Chatterfy.Postbacks.Tests.Campaigns;

/// <summary>
/// Whatever a visitor puts in the query, a campaign's destination renders: on the template's own host, within
/// <see cref="CampaignService.MaxLocationLength"/>, as a printable ASCII absolute URL that carries the click id.
/// </summary>
public sealed class CampaignDestinationPropertyTests
{
    // Any UTF-16 string (lone surrogates included), strings dense in URL delimiters, and long runs of text that escape to
    // three or nine characters each.
    private static readonly Gen<string> VisitorValue = Gen.Frequency(
        (4, Gen.String),
        (4, Gen.String["&=#/?% +{}\\\r\n\0.~é日\uD83D\uDE00\uD800\u202E\u0085"]),
        (2, Gen.Int[0, 4_000].Select(n => new string('é', n))),
        (1, Gen.Int[0, 4_000].Select(n => new string('x', n))),
        (1, Gen.Const("..")));

    private static readonly Gen<string> ClickId = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"].Array[8, Click.MaxIdLength].Select(c => new string(c));

    private static readonly Gen<Dictionary<string, string>> Fields = Gen.Select(VisitorValue, VisitorValue, VisitorValue, Gen.Int[0, 7], (x, y, u, present) =>
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((present & 1) != 0)
        {
            fields["x"] = x;
        }

        if ((present & 2) != 0)
        {
            fields["Y"] = y;
        }

        if ((present & 4) != 0)
        {
            fields["utm_source"] = u;
        }

        return fields;
    });

    // Destination templates a marketer can save, with the host the redirect must always keep.
    public static TheoryData<string, string> ValidTemplates() => new()
    {
        { "https://t.me/mybot?start={{tracker.clickid}}&src={{tracker.utm_source}}", "t.me" },
        { "tg://resolve?domain=mybot&start={{tracker.clickid}}&x={{tracker.x}}", "resolve" },
        { "https://example.com/{{tracker.x}}/{{tracker.y}}?c={{tracker.clickid}}#{{tracker.x}}", "example.com" },
        { "https://пример.рф/бот/{{tracker.x}}?start={{tracker.clickid}}", "xn--e1afmkfd.xn--p1ai" },
        { "https://t.me:8443/a%25{{tracker.x}}?c={{tracker.clickid}}", "t.me" },
        { "https://t.me/mybot?" + string.Concat(Enumerable.Repeat("x={{tracker.x}}&", 120)) + "start={{tracker.clickid}}", "t.me" },
        { "tg://resolve?domain=mybot&start={{tracker.clickid}}", "resolve" },
    };

    [Theory]
    [MemberData(nameof(ValidTemplates))]
    public async Task RenderDestination_AnyVisitorValues_RedirectsOnTheTemplatesHostWithinTheLimit(string template, string host)
    {
        using var services = new TestServices();
        var campaign = await services.Get<CampaignService>().CreateAsync(new NewCampaign { Id = "spring", DestinationTemplate = template });

        Gen.Select(ClickId, Fields).Sample((clickId, fields) =>
        {
            var click = new Click { Id = clickId, CampaignId = campaign.Id, CreatedAt = TestServices.Start, Fields = fields };

            var destination = CampaignService.RenderDestination(campaign, click);

            destination.Should().NotBeNull();
            destination!.HostMacrosOmitted.Should().BeFalse();
            var location = destination.Location;
            location.Length.Should().BeLessThanOrEqualTo(CampaignService.MaxLocationLength);
            location.Should().MatchRegex("^[!-~]+$", "a Location header is printable ASCII");
            Uri.TryCreate(location, UriKind.Absolute, out var uri).Should().BeTrue(location);
            uri!.IdnHost.Should().Be(host);
            location.Should().Contain(clickId);
        }, iter: 300);
    }

    // Templates built from pieces, host macros and user info included: whatever the validation accepts, any visitor value
    // renders, and never moves the host.
    [Fact]
    public void RenderDestination_AnySavedTemplateAndVisitorValues_NeverThrowsAndKeepsTheHost()
    {
        using var services = new TestServices();
        var campaigns = services.Get<CampaignService>();
        var scheme = Gen.OneOf("https://", "tg://", "tg:", "https:");
        var hostPiece = Gen.OneOf("t.me", "resolve", "{{tracker.x}}", "{{tracker.clickid}}", ":8443", "user@", "", ".", "пример.рф");
        var restPiece = Gen.OneOf("/", "?a=", "&b=", "#", "{{tracker.x}}", "{{tracker.y}}", "{{tracker.clickid}}", "бот", "%", "~", "..", "start");
        var template = Gen.Select(scheme, hostPiece.Array[0, 3], restPiece.Array[0, 6], (s, h, r) => s + string.Concat(h) + string.Concat(r));
        var id = 0;
        var accepted = 0;

        Gen.Select(template, ClickId, Fields).Sample((text, clickId, fields) =>
        {
            Campaign campaign;
            try
            {
                campaign = campaigns.CreateAsync(new NewCampaign { Id = $"c{Interlocked.Increment(ref id)}", DestinationTemplate = text }).AsTask().GetAwaiter().GetResult();
            }
            catch (CampaignValidationException)
            {
                return;
            }

            Interlocked.Increment(ref accepted);
            var expectedHost = new Uri(CampaignService.RenderDestination(campaign, new Click { Id = "fixed", CreatedAt = TestServices.Start })!.Location).IdnHost;
            var click = new Click { Id = clickId, CreatedAt = TestServices.Start, Fields = fields };

            var location = CampaignService.RenderDestination(campaign, click)?.Location;

            location.Should().NotBeNull(text);
            location!.Length.Should().BeLessThanOrEqualTo(CampaignService.MaxLocationLength);
            new Uri(location).IdnHost.Should().Be(expectedHost, text);
            if (text.Contains("{{tracker.clickid}}", StringComparison.Ordinal))
            {
                location.Should().Contain(clickId, text);
            }
        }, iter: 10_000);

        accepted.Should().BeGreaterThan(1_000, "the pieces must make enough valid templates for the property to mean something");
    }

    // A destination stored before today's checks (host macros, user info, anything): rendering still never throws, and the
    // visitor's values never choose the host.
    [Fact]
    public void RenderDestination_AnyStoredTemplateAndVisitorValues_NeverThrowsAndNoValueReachesTheHost()
    {
        var scheme = Gen.OneOf("https://", "tg://", "tg:", "https:", "");
        var piece = Gen.OneOf("t.me", "resolve", "{{tracker.x}}", "{{tracker.clickid}}", "{{chatid}}", ":8443", "user@", "/", "\\", "?a=", "#", "%", "бот", "..");
        var template = Gen.Select(scheme, piece.Array[0, 8], (s, p) => s + string.Concat(p));

        Gen.Select(template, ClickId, Fields).Sample((text, clickId, fields) =>
        {
            var campaign = new Campaign { Id = "legacy", DestinationTemplate = text, CreatedAt = TestServices.Start };
            var withoutValues = CampaignService.RenderDestination(campaign, new Click { Id = "fixed", CreatedAt = TestServices.Start });

            var rendered = CampaignService.RenderDestination(campaign, new Click { Id = clickId, CreatedAt = TestServices.Start, Fields = fields });

            if (rendered is not null && withoutValues is not null)
            {
                new Uri(rendered.Location).IdnHost.Should().Be(new Uri(withoutValues.Location).IdnHost, text);
                rendered.HostMacrosOmitted.Should().Be(withoutValues.HostMacrosOmitted);
            }
        }, iter: 10_000);
    }
}
