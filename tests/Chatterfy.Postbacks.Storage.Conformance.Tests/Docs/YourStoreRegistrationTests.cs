using Microsoft.Extensions.DependencyInjection;
using Xunit;
using YourStore;

namespace Chatterfy.Postbacks.Storage.Conformance.Tests.Docs;

/// <summary>The guide's <c>UseYourStore</c> registers the example store's roles, replacing the store registered before.</summary>
public sealed class YourStoreRegistrationTests
{
    [Fact]
    public void UseYourStore_RegistersTheStoreAndEachOfItsRoles_InPlaceOfTheStoreBefore()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().UseYourStore();
        using var provider = services.BuildServiceProvider();

        var storage = provider.GetRequiredService<PostbackStorage>();
        storage.Campaigns.Should().BeOfType<DictionaryCampaignStore>();
        provider.GetRequiredService<CampaignStore>().Should().BeSameAs(storage.Campaigns);
        provider.GetRequiredService<IngestStore>().Should().BeSameAs(storage.Ingest);
        provider.GetRequiredService<PostbackSetStore>().Should().BeSameAs(storage.Sets);
    }
}
