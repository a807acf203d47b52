using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Tests.Clicks;

/// <summary>The core validates a new click, so a host that calls <see cref="ClickService"/> directly keeps the API's limits.</summary>
public sealed class ClickServiceValidationTests
{
    [Fact]
    public async Task CreateAsync_FbclidOverTheLimit_ThrowsNamingTheFieldAndStoresNothing()
    {
        using var services = new TestServices();

        var create = async () => await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring", Fbclid = new string('A', 1025) });

        var thrown = (await create.Should().ThrowAsync<ClickValidationException>()).Which;
        thrown.Message.Should().Contain("fbclid");
        thrown.Errors.Should().ContainKey("fbclid").WhoseValue.Should().Equal("'fbclid' is 1 to 1024 characters without control characters, or null.");
    }

    [Fact]
    public async Task CreateAsync_TooManyFieldsAndABadKey_ThrowsNamingEach()
    {
        using var services = new TestServices();
        var fields = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", _ => "v");
        fields["bad key"] = "v";

        var create = async () => await services.Clicks.CreateAsync(new NewClick { Fields = fields, SubjectId = "" });

        var thrown = (await create.Should().ThrowAsync<ClickValidationException>()).Which;
        thrown.Errors.Keys.Should().BeEquivalentTo("subjectId", "fields");
        thrown.Errors["fields"].Should().ContainSingle().Which.Should().StartWith("A field key is 1 to 64 of");
    }

    [Fact]
    public void Mint_PublicRedirectLimits_AreTighterThanTheDefault()
    {
        using var services = new TestServices();
        var details = new NewClick { Fbclid = new string('A', 501), Fields = new Dictionary<string, string> { ["ad"] = new string('x', 257) } };

        services.Clicks.Mint(details).Fbclid.Should().HaveLength(501);
        var mint = () => services.Clicks.Mint(details, ClickLimits.PublicRedirect);

        mint.Should().Throw<ClickValidationException>().Which.Errors.Keys.Should().BeEquivalentTo("fbclid", "fields.ad");
    }

    [Fact]
    public async Task CreateAsync_ValuesAtTheLimits_StoresTheClick()
    {
        using var services = new TestServices();
        var fields = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", _ => new string('v', 512));

        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = new string('c', 64), Fbclid = new string('A', 1024), Fields = fields });

        (await services.Clicks.FindAsync(click.Id)).Should().NotBeNull();
    }
}
