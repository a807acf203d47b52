using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Tests.Clicks;

/// <summary>The core's rules of a subject's click: the same click every time, the first binding wins, ids checked first.</summary>
public sealed class SubjectBindingServiceTests
{
    [Fact]
    public async Task GetOrCreateForSubjectAsync_CalledTwice_ReturnsTheSameClickAndCreatesItOnce()
    {
        using var services = new TestServices();

        var first = await services.Clicks.GetOrCreateForSubjectAsync("tg:123456789", "spring", new NewClick { Fbclid = "IwAR1" });
        services.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await services.Clicks.GetOrCreateForSubjectAsync("tg:123456789", "spring");

        first.ClickCreated.Should().BeTrue();
        first.Click.SubjectId.Should().Be("tg:123456789");
        first.Click.CampaignId.Should().Be("spring");
        first.Click.Fbclid.Should().Be("IwAR1");
        second.Click.Should().BeEquivalentTo(first.Click);
        second.ClickCreated.Should().BeFalse();
        second.BoundAt.Should().Be(TestServices.Start);
    }

    [Fact]
    public async Task GetOrCreateForSubjectAsync_OlderClickOfTheSubject_BindsIt()
    {
        using var services = new TestServices();
        var older = await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring", SubjectId = "tg:7" });

        var binding = await services.Clicks.GetOrCreateForSubjectAsync("tg:7", "spring");

        binding.Click.Id.Should().Be(older.Id);
        binding.ClickCreated.Should().BeFalse();
    }

    [Theory]
    [InlineData("", "spring", "subjectId")]
    [InlineData("tg 7", "spring", "subjectId")]
    [InlineData("tg:7", "spring/1", "campaignId")]
    public async Task GetOrCreateForSubjectAsync_BadId_ThrowsNamingItAndStoresNothing(string subjectId, string campaignId, string field)
    {
        using var services = new TestServices();

        var call = async () => await services.Clicks.GetOrCreateForSubjectAsync(subjectId, campaignId);

        (await call.Should().ThrowAsync<ClickValidationException>()).Which.Errors.Should().ContainKey(field);
    }

    [Fact]
    public void SubjectIds_LongestAllowed_Is128()
    {
        SubjectIds.IsValid(new string('a', 128)).Should().BeTrue();
        SubjectIds.IsValid(new string('a', 129)).Should().BeFalse();
        SubjectIds.IsValid("tg:123.abc_D-9").Should().BeTrue();
    }

    [Fact]
    public async Task BindClickAsync_StartPayloadClick_KeepsItsValuesAndALaterClickDoesNotReplaceIt()
    {
        using var services = new TestServices();
        var redirected = await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring", Fbclid = "IwAR-ad", UserAgent = "Mozilla/5.0" });
        var later = await services.Clicks.CreateAsync(new NewClick { CampaignId = "spring", Fbclid = "IwAR-other" });

        var bound = await services.Clicks.BindClickAsync("tg:42", redirected.Id);
        var again = await services.Clicks.BindClickAsync("tg:42", later.Id);

        bound!.Click.Should().BeEquivalentTo(redirected with { SubjectId = "tg:42" });
        again!.Click.Id.Should().Be(redirected.Id, "the first binding wins");
        (await services.Clicks.GetOrCreateForSubjectAsync("tg:42", "spring")).Click.Id.Should().Be(redirected.Id);
    }

    [Fact]
    public async Task BindClickAsync_UnknownClick_ReturnsNull()
    {
        using var services = new TestServices();

        (await services.Clicks.BindClickAsync("tg:42", "nope")).Should().BeNull();
    }

    [Fact]
    public async Task BindClickAsync_ClickWithoutCampaign_Throws()
    {
        using var services = new TestServices();
        var click = await services.Clicks.CreateAsync(new NewClick());

        var call = async () => await services.Clicks.BindClickAsync("tg:42", click.Id);

        (await call.Should().ThrowAsync<ClickValidationException>()).Which.Errors.Should().ContainKey("clickId");
    }

    [Fact]
    public async Task ListForSubjectAsync_BoundAndCarryingClicks_ListsTheBindingsAndTheClicksOfThatSubjectOnly()
    {
        using var services = new TestServices();
        var bound = await services.Clicks.GetOrCreateForSubjectAsync("tg:7", "spring");
        services.Time.Advance(TimeSpan.FromMinutes(1));
        var carrying = await services.Clicks.CreateAsync(new NewClick { SubjectId = "tg:7" });
        await services.Clicks.GetOrCreateForSubjectAsync("tg:8", "spring");

        var listed = await services.Clicks.ListForSubjectAsync("tg:7");

        listed.Bindings.Select(b => (b.CampaignId, b.Click.Id)).Should().Equal(("spring", bound.Click.Id));
        listed.Clicks.Select(c => c.Id).Should().Equal(carrying.Id, bound.Click.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tg 7")]
    public async Task ListForSubjectAsync_BadSubjectId_ThrowsNamingIt(string subjectId)
    {
        using var services = new TestServices();

        var call = async () => await services.Clicks.ListForSubjectAsync(subjectId);

        (await call.Should().ThrowAsync<ClickValidationException>()).Which.Errors.Should().ContainKey("subjectId");
    }
}
