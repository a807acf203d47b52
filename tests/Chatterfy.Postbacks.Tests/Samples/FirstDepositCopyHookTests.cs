using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Repository;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatterfy.Postbacks.Tests.Samples;

public sealed class FirstDepositCopyHookTests
{
    [Fact]
    public async Task IngestionHook_RegisteredAsDocumented_QueuesStoredFirstDepositsOnly()
    {
        using var services = new TestServices(build: b =>
            b.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IngestionHook, FirstDepositCopyHook>()));
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick());
        PostbackRequest FirstDeposit() => new() { EventSegment = "first-deposit", QueryString = $"?clickid={click.Id}&amount=10" };

        var stored = await services.Ingestor.IngestAsync(set.Token, FirstDeposit());
        var retried = await services.Ingestor.IngestAsync(set.Token, FirstDeposit());
        var registration = await services.Ingestor.IngestAsync(set.Token, new PostbackRequest { EventSegment = "registration", QueryString = $"?clickid={click.Id}" });

        retried.Outcome.Should().Be(PostbackOutcome.Duplicate);
        registration.Outcome.Should().Be(PostbackOutcome.Accepted);
        var queued = await services.Store.Outbox.ListAsync(new OutboxQuery(), CancellationToken.None);
        queued.Should().ContainSingle().Which.Should().Match<OutboxMessage>(m => m.ConversionId == stored.ConversionId && m.RuleId == FirstDepositCopyHook.RuleId);
        services.Get<IEnumerable<IngestionHook>>().OfType<FirstDepositCopyHook>().Single().Stored.Should().Be(1);
    }

    [Fact]
    public void StorageGuide_ShowsTheCompiledHookVerbatim()
    {
        var sample = Checkout.ReadText("tests/Chatterfy.Postbacks.Tests/Samples/FirstDepositCopyHook.cs");

        Checkout.ReadText("docs/storage.md").Should().Contain("```csharp\n" + sample + "```\n", "docs/storage.md shows the hook as it is compiled here");
    }
}
