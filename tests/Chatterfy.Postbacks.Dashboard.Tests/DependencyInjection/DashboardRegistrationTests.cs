using Chatterfy.Postbacks.Tests.Approvals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard.Tests.DependencyInjection;

public sealed class DashboardRegistrationTests
{
    [Fact]
    public void OptionRanges_AgreeWithTheirDocs()
    {
        var mismatches = OptionRangeDocs.Mismatches(typeof(ChatterfyDashboardOptions).Assembly, out var checkedCount);

        checkedCount.Should().Be(1);
        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task Start_SignInLifetimeOutOfRange_FailsNamingTheOption()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddChatterfyPostbacks(_ => { }).UseInMemoryStore().AddDashboard(o => o.SignInLifetime = TimeSpan.FromMinutes(1));
        await using var app = builder.Build();
        app.MapChatterfyDashboard();

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("Postbacks:Dashboard:SignInLifetime must be from 00:05:00 to 30.00:00:00 (got 00:01:00).");
    }

    [Fact]
    public async Task Map_WithoutAddDashboard_ThrowsSayingWhatToCall()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddChatterfyPostbacks(_ => { }).UseInMemoryStore();
        await using var app = builder.Build();

        var map = () => app.MapChatterfyDashboard();

        map.Should().Throw<InvalidOperationException>().WithMessage("*AddDashboard()*");
    }

    [Theory]
    [InlineData("postbacks-admin")]
    [InlineData("/")]
    [InlineData("/admin/{id}")]
    public async Task Map_APathThatIsNotAPrefix_Throws(string path)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddChatterfyPostbacks(_ => { }).UseInMemoryStore().AddDashboard();
        await using var app = builder.Build();

        var map = () => app.MapChatterfyDashboard(path);

        map.Should().Throw<ArgumentException>().WithParameterName(nameof(path));
    }

    [Fact]
    public async Task Map_TwiceAtAnotherPath_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddChatterfyPostbacks(_ => { }).UseInMemoryStore().AddDashboard().AddDashboard();
        await using var app = builder.Build();
        app.MapChatterfyDashboard("/one");

        var map = () => app.MapChatterfyDashboard("/two");

        map.Should().Throw<InvalidOperationException>().WithMessage("*already mapped at '/one'*");
    }
}
