using System.Net;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Sets;

/// <summary>A page whose store cannot answer says so with 503, rather than a 500.</summary>
public sealed class StoreUnavailableTests
{
    [Fact]
    public async Task The_list_answers_503_saying_the_store_is_unavailable_when_the_set_store_cannot_answer()
    {
        await using var host = await DashboardHost.StartAsync(configure: services =>
        {
            services.RemoveAll<PostbackSetStore>();
            services.AddSingleton<PostbackSetStore, UnavailableSetStore>();
        });
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/postbacks");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("<h1>Store unavailable</h1>").And.Contain("The store is unavailable, try again");
        host.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 7050 && r.Exception == null);
    }

    private sealed class UnavailableSetStore : PostbackSetStore
    {
        protected override ValueTask AddCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<PostbackSet?> GetCoreAsync(string setId, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<PostbackSet?> GetIncludingDeletedCoreAsync(string setId, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<bool> IsIdUsedCoreAsync(string setId, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<PostbackSet?> FindByTokenCoreAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<IReadOnlyList<PostbackSet>> ListCoreAsync(CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<PostbackSet?> UpdateCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<PostbackSet?> RotateTokenCoreAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();

        protected override ValueTask<bool> DeleteCoreAsync(string setId, CancellationToken cancellationToken) => throw new PostbackStoreUnavailableException();
    }
}
