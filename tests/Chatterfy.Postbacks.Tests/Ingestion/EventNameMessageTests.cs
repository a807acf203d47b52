using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>Every refusal of an unknown event name names the same known events: the names of <see cref="PostbackEvent"/>.</summary>
public sealed class EventNameMessageTests
{
    [Theory]
    [InlineData("not an event!", null)]
    [InlineData(null, "not an event!")]
    public async Task Parse_UnknownEventInPathOrParameter_NamesTheKnownEventsAlike(string? segment, string? parameter)
    {
        using var services = new TestServices();
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = NetworkIds.OneWin });
        var query = "?clickid=abc123XYZ0" + (parameter is null ? "" : "&event=" + Uri.EscapeDataString(parameter));

        var result = services.Parser.Parse(set, new PostbackRequest { EventSegment = segment, QueryString = query });

        result.IsValid.Should().BeFalse();
        result.Rejection!.Code.Should().Be(PostbackRejectionCodes.EventUnknown);
        result.Rejection.Message.Should().Contain($"use {PostbackEvent.Registration.Name}, {PostbackEvent.FirstDeposit.Name}, {PostbackEvent.Deposit.Name} or 1 to 32 of a-z 0-9 _ -.");
    }
}
