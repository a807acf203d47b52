using Chatterfy.Postbacks.AspNetCore.Authentication;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Authentication;

public sealed class ApiKeyRingTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private const string NextKey = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void Check_NoHeader_Missing() => Ring(Key).Check(StringValues.Empty).Should().Be(ApiKeyCheck.Missing);

    [Fact]
    public void Check_EmptyHeader_Missing() => Ring(Key).Check("").Should().Be(ApiKeyCheck.Missing);

    [Fact]
    public void Check_TheKey_Accepted() => Ring(Key).Check(Key).Should().Be(ApiKeyCheck.Accepted);

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdeF")] // one character differs
    [InlineData("0123456789abcdef0123456789abcde")] // a prefix
    [InlineData("0123456789abcdef0123456789abcdef0")] // a longer key starting with the key
    [InlineData(" 0123456789abcdef0123456789abcdef")]
    [InlineData("x")]
    public void Check_AnotherKey_Wrong(string presented) => Ring(Key).Check(presented).Should().Be(ApiKeyCheck.Wrong);

    [Fact]
    public void Check_EachKeyOfARotation_Accepted()
    {
        var ring = Ring(Key, NextKey);

        ring.Check(Key).Should().Be(ApiKeyCheck.Accepted);
        ring.Check(NextKey).Should().Be(ApiKeyCheck.Accepted);
        ring.Check(Key + NextKey).Should().Be(ApiKeyCheck.Wrong);
    }

    [Fact]
    public void Check_TheKeyTwiceInOneRequest_Wrong() =>
        Ring(Key).Check(new StringValues([Key, Key])).Should().Be(ApiKeyCheck.Wrong, "a request carries one key, not a list to try");

    [Fact]
    public void For_SameOptions_SameRing()
    {
        var options = Options(Key);

        ApiKeyRing.For(options).Should().BeSameAs(ApiKeyRing.For(options));
    }

    [Fact]
    public void For_NewOptionsAfterARotation_TheNewKeys()
    {
        var before = ApiKeyRing.For(Options(Key));
        var after = ApiKeyRing.For(Options(NextKey));

        before.Check(NextKey).Should().Be(ApiKeyCheck.Wrong);
        after.Check(NextKey).Should().Be(ApiKeyCheck.Accepted);
        after.Check(Key).Should().Be(ApiKeyCheck.Wrong);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("!~", true)]
    [InlineData(Key, true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("with space", false)]
    [InlineData(" key", false)]
    [InlineData("key\t", false)]
    [InlineData("kéy", false)]
    [InlineData("key\u0085", false)]
    public void IsWellFormed_Key_VisibleAsciiOnly(string? key, bool expected) => ApiKeyRing.IsWellFormed(key).Should().Be(expected);

    private static ApiKeyRing Ring(params string[] keys) => ApiKeyRing.For(Options(keys));

    private static ChatterfyApiKeyOptions Options(params string[] keys)
    {
        var options = new ChatterfyApiKeyOptions();
        foreach (var key in keys)
        {
            options.Keys.Add(key);
        }

        return options;
    }
}
