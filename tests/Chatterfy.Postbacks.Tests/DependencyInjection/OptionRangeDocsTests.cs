using Chatterfy.Postbacks.Tests.Approvals;

namespace Chatterfy.Postbacks.Tests.DependencyInjection;

/// <summary>The ranges of the core's options live in their attributes; the docs readers see must tell the same ranges.</summary>
public sealed class OptionRangeDocsTests
{
    [Fact]
    public void OptionRanges_CoreOptions_MatchTheirValueDocs()
    {
        var mismatches = OptionRangeDocs.Mismatches(typeof(ChatterfyPostbacksOptions).Assembly, out var checkedCount);

        checkedCount.Should().BeGreaterThanOrEqualTo(6, "the core's options carry their ranges as attributes");
        mismatches.Should().BeEmpty();
    }
}
