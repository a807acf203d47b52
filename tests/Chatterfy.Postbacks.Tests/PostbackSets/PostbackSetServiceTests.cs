using System.Text.Json;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.PostbackSets;

public sealed class PostbackSetServiceTests
{
    [Fact]
    public async Task Create_Binomo_StoresEnabledSetWithUrlSafe128BitToken()
    {
        using var services = new TestServices();

        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "  Binomo main ", NetworkId = "Binomo" });

        set.Name.Should().Be("Binomo main");
        set.NetworkId.Should().Be("binomo");
        set.Enabled.Should().BeTrue();
        set.CreatedAt.Should().Be(TestServices.Start);
        set.Token.Should().HaveLength(22).And.MatchRegex("^[A-Za-z0-9_-]{22}$");
        (await services.Sets.GetAsync(set.Id)).Should().Be(set);
    }

    [Fact]
    public async Task Create_ManySets_TokensAreUnique()
    {
        using var services = new TestServices();

        var tokens = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            tokens.Add((await services.Sets.CreateAsync(new NewPostbackSet { Name = "s" + i, NetworkId = "binomo" })).Token);
        }

        tokens.Should().HaveCount(200);
    }

    [Theory]
    [InlineData("", "binomo", null, "name")]
    [InlineData("Set", "nope", null, "network")]
    [InlineData("Set", "1win", """{"clickIdSub":"sub9"}""", "settings.clickIdSub")]
    [InlineData("Set", "1win", """{"macros":{"amount":"{amount}&x=1"}}""", "settings.macros.amount")]
    [InlineData("Set", "1win", """{"unknownSetting":true}""", "settings.unknownSetting")]
    [InlineData("Set", "custom", null, "settings.clickIdMacro")]
    [InlineData("Set", "custom", """{"clickIdMacro":"{subid}","currency":"EURO"}""", "settings.currency")]
    [InlineData("Set", "custom", """{"clickIdMacro":"{subid}","currency":"EUR","currencyMacro":"{cur}"}""", "settings.currency")]
    [InlineData("Set", "binomo", """{"eventFlags":{"reg":"not an event"}}""", "settings.eventFlags.reg")]
    [InlineData("Set", "binomo", """[1]""", "settings")]
    public async Task Create_InvalidInput_NamesTheField(string name, string network, string? settings, string field)
    {
        using var services = new TestServices();

        var act = async () => await services.Sets.CreateAsync(new NewPostbackSet
        {
            Name = name,
            NetworkId = network,
            Settings = settings is null ? null : JsonDocument.Parse(settings).RootElement,
        });

        var error = (await act.Should().ThrowAsync<PostbackSetValidationException>()).Which;
        error.Errors.Should().ContainKey(field);
        error.Errors[field].Should().AllSatisfy(m => m.Should().NotBeNullOrWhiteSpace());
    }

    [Fact]
    public async Task Create_UnknownNetwork_ListsTheRegisteredOnes()
    {
        using var services = new TestServices();

        var act = async () => await services.Sets.CreateAsync(new NewPostbackSet { Name = "x", NetworkId = "pocket" });

        (await act.Should().ThrowAsync<PostbackSetValidationException>()).Which.Errors["network"].Single()
            .Should().Contain("binomo").And.Contain("1win").And.Contain("custom");
    }

    [Fact]
    public async Task Update_NameSettingsAndEnabled_KeepsTokenAndCreationTime()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        services.Time.Advance(TimeSpan.FromDays(1));

        var updated = await services.Sets.UpdateAsync(set.Id, new PostbackSetChanges
        {
            Name = "1Win sub4",
            Settings = JsonDocument.Parse("""{"clickIdSub":"sub4"}""").RootElement,
            Enabled = false,
        });

        updated!.Name.Should().Be("1Win sub4");
        updated.Enabled.Should().BeFalse();
        updated.Token.Should().Be(set.Token);
        updated.CreatedAt.Should().Be(set.CreatedAt);
        services.Sets.GetUrls(updated).Registration.Should().Contain("clickid={sub4}");
    }

    [Fact]
    public async Task Update_InvalidSettings_ChangesNothing()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });

        var act = async () => await services.Sets.UpdateAsync(set.Id, new PostbackSetChanges
        {
            Name = "renamed",
            Settings = JsonDocument.Parse("""{"clickIdSub":"sub7"}""").RootElement,
        });

        await act.Should().ThrowAsync<PostbackSetValidationException>();
        (await services.Sets.GetAsync(set.Id))!.Name.Should().Be("1Win");
    }

    [Fact]
    public async Task Update_UnknownSet_ReturnsNull()
    {
        using var services = new TestServices();

        (await services.Sets.UpdateAsync("nope", new PostbackSetChanges { Name = "x" })).Should().BeNull();
    }

    [Fact]
    public async Task RotateToken_GivesNewUrlsAndOldTokenStopsAtOnce()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

        var rotated = await services.Sets.RotateTokenAsync(set.Id);

        rotated!.Token.Should().NotBe(set.Token);
        services.Sets.GetUrls(rotated).Base.Should().EndWith("/" + rotated.Token);
        (await services.Store.Sets.FindByTokenAsync(set.Token, services.Time.GetUtcNow(), default)).Should().BeNull();
        (await services.Store.Sets.FindByTokenAsync(rotated.Token, services.Time.GetUtcNow(), default))!.Id.Should().Be(set.Id);
    }

    [Fact]
    public async Task Delete_RemovesTheSet()
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });

        (await services.Sets.DeleteAsync(set.Id)).Should().BeTrue();

        (await services.Sets.GetAsync(set.Id)).Should().BeNull();
        (await services.Sets.ListAsync()).Should().BeEmpty();
        (await services.Sets.DeleteAsync(set.Id)).Should().BeFalse();
    }
}
