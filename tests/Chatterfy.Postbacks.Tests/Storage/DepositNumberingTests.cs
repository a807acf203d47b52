using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

public sealed class DepositNumberingTests
{
    [Theory]
    [InlineData(PostbackEventKind.FirstDeposit, null, false, 1)]
    [InlineData(PostbackEventKind.Deposit, null, false, 2)]
    [InlineData(PostbackEventKind.FirstDeposit, 2, false, 1)]
    [InlineData(PostbackEventKind.Deposit, 2, false, 3)]
    [InlineData(PostbackEventKind.FirstDeposit, 1, true, 2)]
    [InlineData(PostbackEventKind.FirstDeposit, 3, true, 4)]
    [InlineData(PostbackEventKind.Deposit, 1, true, 2)]
    [InlineData(PostbackEventKind.Deposit, 7, true, 8)]
    public void Next_FirstDepositTakesOneWhileFree_OthersFollowTheHighestFromTwo(PostbackEventKind kind, int? highest, bool firstTaken, int expected) =>
        DepositNumbering.Next(kind, highest, firstTaken).Should().Be(expected);

    [Theory]
    [InlineData(PostbackEventKind.Registration)]
    [InlineData(PostbackEventKind.Custom)]
    public void Next_EventThatIsNotADeposit_Throws(PostbackEventKind kind)
    {
        DepositNumbering.IsNumbered(kind).Should().BeFalse();
        FluentActions.Invoking(() => DepositNumbering.Next(kind, null, false)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
