using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Forwarding.Tests;

public sealed class ForwardingRuleServiceTests
{
    [Fact]
    public async Task CreateAsync_EmptySetId_IsRefusedAsAnUnknownSetNamingTheField()
    {
        await using var scenario = OutboxScenario.Create();

        var act = async () => await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            SetId = "",
            DestinationId = "http-postback",
            Settings = JsonSerializer.SerializeToElement(new { urlTemplate = "https://tracker.example/pb" }),
        });

        (await act.Should().ThrowAsync<ForwardingRuleValidationException>()).Which.Errors.Should().ContainKey("setId");
    }
}
