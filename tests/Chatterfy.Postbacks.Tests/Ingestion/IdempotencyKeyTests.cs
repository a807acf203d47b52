using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class IdempotencyKeyTests
{
    private static readonly PostbackSet OneWinSet = new()
    {
        Id = "set1",
        Name = "1Win",
        NetworkId = "1win",
        Token = "AAAAAAAAAAAAAAAAAAAAAA",
        CreatedAt = TestServices.Start,
    };

    [Fact]
    public void Key_FirstDeposit_IgnoresTransactionId()
    {
        using var services = new TestServices();

        var first = Key(services, "first-deposit", "?clickid=abc123XYZ0&amount=10&tid=1");
        var retryWithOtherTid = Key(services, "first-deposit", "?clickid=abc123XYZ0&amount=10&tid=2");
        var retryWithoutTid = Key(services, "first-deposit", "?clickid=abc123XYZ0&amount=10");

        first.Should().Be(new IdempotencyKey("set1:first-deposit:abc123XYZ0", null));
        retryWithOtherTid.Should().Be(first);
        retryWithoutTid.Should().Be(first);
    }

    [Fact]
    public void Key_Registration_IsOncePerSetAndClick()
    {
        using var services = new TestServices();

        Key(services, "registration", "?clickid=abc123XYZ0&tid=9").Should().Be(new IdempotencyKey("set1:registration:abc123XYZ0", null));
    }

    [Fact]
    public void Key_DepositWithTransactionId_IsPerTransactionAndPermanent()
    {
        using var services = new TestServices();

        var a = Key(services, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-1");
        var b = Key(services, "deposit", "?clickid=abc123XYZ0&amount=99&tid=T-1");
        var c = Key(services, "deposit", "?clickid=abc123XYZ0&amount=10&tid=T-2");

        a.Should().Be(new IdempotencyKey("set1:deposit:abc123XYZ0:t:T-1", null));
        b.Should().Be(a, "a retry of one transaction is the same deposit whatever its amount");
        c.Should().NotBe(a);
    }

    [Fact]
    public void Key_DepositWithLongTransactionId_IsHashedToBoundedLength()
    {
        using var services = new TestServices();

        var key = Key(services, "deposit", "?clickid=abc123XYZ0&amount=10&tid=" + new string('x', 128));

        key.Value.Should().StartWith("set1:deposit:abc123XYZ0:th:").And.HaveLength("set1:deposit:abc123XYZ0:th:".Length + 24);
        key.Window.Should().BeNull();
    }

    [Fact]
    public void Key_DepositWithoutTransactionId_IsWindowedHashOfCanonicalParameters()
    {
        using var services = new TestServices(o => o.DeduplicationWindow = TimeSpan.FromHours(6));

        var key = Key(services, "deposit", "?clickid=abc123XYZ0&amount=12.50&fields.b=2&fields.a=1");

        key.Window.Should().Be(TimeSpan.FromHours(6));

        // Pinned: changing the hash would let retries inside a running window count twice after an upgrade.
        key.Value.Should().Be("set1:deposit:abc123XYZ0:h:" + ExpectedHash);
    }

    [Theory]
    [InlineData("?clickid=abc123XYZ0&amount=12.5&fields.a=1&fields.b=2")]
    [InlineData("?fields.a=1&amount=12,50&fields.b=2&clickid=abc123XYZ0")]
    [InlineData("?clickid=abc123XYZ0&amount=12.500&currency=usd&fields.b=2&fields.a=1")]
    public void Key_DepositWithoutTransactionId_IsStableAcrossEquivalentSpellings(string query)
    {
        using var services = new TestServices();

        Key(services, "deposit", query).Value.Should().Be("set1:deposit:abc123XYZ0:h:" + ExpectedHash);
    }

    [Theory]
    [InlineData("?clickid=abc123XYZ0&amount=12.51&fields.a=1&fields.b=2")]
    [InlineData("?clickid=abc123XYZ0&amount=12.50&currency=EUR&fields.a=1&fields.b=2")]
    [InlineData("?clickid=abc123XYZ0&amount=12.50&fields.a=1&fields.b=3")]
    [InlineData("?clickid=abc123XYZ0&amount=12.50&fields.a=1")]
    [InlineData("?clickid=abc123XYZ1&amount=12.50&fields.a=1&fields.b=2")]
    public void Key_DepositWithoutTransactionId_ChangesWithAnyCanonicalParameter(string query)
    {
        using var services = new TestServices();

        Key(services, "deposit", query).Value.Should().NotEndWith(ExpectedHash);
    }

    [Fact]
    public void Parse_WithReceiveTime_KeepsTheOriginalTime()
    {
        using var services = new TestServices();
        var original = TestServices.Start.AddDays(-3);

        var result = services.Parser.Parse(OneWinSet, Request("registration", "?clickid=abc123XYZ0"), original);

        result.Conversion!.ReceivedAt.Should().Be(original);
    }

    // base64url(SHA-256("abc123XYZ0\ndeposit\n12.5\nUSD\na=1\nb=2\n")[..18]), computed independently.
    private const string ExpectedHash = "C4DqmRC5AJXo8CipGNLp-wta";

    private static IdempotencyKey Key(TestServices services, string segment, string query)
    {
        var result = services.Parser.Parse(OneWinSet, Request(segment, query));
        result.IsValid.Should().BeTrue(result.Rejection?.Message);
        return result.Conversion!.IdempotencyKey;
    }

    private static PostbackRequest Request(string segment, string query) => new() { EventSegment = segment, QueryString = query };
}
