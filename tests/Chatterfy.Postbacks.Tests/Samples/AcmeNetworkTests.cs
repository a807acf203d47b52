using System.Text.Json;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Tests.Samples;

public sealed class AcmeNetworkTests
{
    [Fact]
    public async Task AddNetwork_PluginNetwork_CreatesSetsAndParsesItsPostbacks()
    {
        using var services = new TestServices(build: b => b.AddNetwork<AcmeNetwork>());
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "Acme", NetworkId = "acme" });

        var urls = services.Sets.GetUrls(set);
        var result = services.Parser.Parse(set, new()
        {
            EventSegment = null,
            QueryString = "?cid=abc123XYZ0&status=sale&payout=12.5&txn=A-1",
        });

        urls.Base.Should().Be($"https://pb.example.com/api/postbacks/{set.Token}?cid={{subid}}&status={{status}}&payout={{payout}}&txn={{txn}}");
        result.IsValid.Should().BeTrue(result.Rejection?.Message);
        result.Conversion!.Event.Should().Be(Chatterfy.Postbacks.Ingestion.PostbackEvent.FirstDeposit);
        result.Conversion.ClickId.Should().Be("abc123XYZ0");
        result.Conversion.Amount.Should().Be(12.5m);
        result.Conversion.Currency.Should().Be("EUR");
        result.Conversion.TransactionId.Should().Be("A-1");
    }

    [Fact]
    public async Task CreateSet_PluginSettingsInvalid_NamesTheField()
    {
        using var services = new TestServices(build: b => b.AddNetwork<AcmeNetwork>());

        var act = async () => await services.Sets.CreateAsync(new NewPostbackSet
        {
            Name = "Acme",
            NetworkId = "acme",
            Settings = JsonDocument.Parse("""{"currency":"GBP"}""").RootElement,
        });

        (await act.Should().ThrowAsync<PostbackSetValidationException>()).Which.Errors.Should().ContainKey("settings.currency");
    }

    [Fact]
    public void Registry_TwoNetworksWithOneId_FailsWithClearMessage()
    {
        var act = () => new AffiliateNetworkRegistry([new AcmeNetwork(), new AcmeNetwork()]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*Two affiliate networks are registered with the id 'acme'*");
    }
}
