using Chatterfy.Postbacks.Tests.Approvals;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>The ranges of the forwarding options live in their attributes; the docs readers see must tell the same ranges.</summary>
public sealed class OptionRangeDocsTests
{
    [Fact]
    public void OptionRanges_ForwardingOptions_MatchTheirValueDocs()
    {
        var mismatches = OptionRangeDocs.Mismatches(typeof(ForwardingOptions).Assembly, out var checkedCount);

        checkedCount.Should().BeGreaterThanOrEqualTo(12, "the forwarding options, their retry schedule and dispatcher carry their ranges as attributes");
        mismatches.Should().BeEmpty();
    }
}
