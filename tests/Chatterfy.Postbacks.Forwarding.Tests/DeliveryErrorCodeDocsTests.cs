using System.Reflection;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>The delivery error codes the docs show are the codes the code has, each listed with what it leads to.</summary>
public sealed partial class DeliveryErrorCodeDocsTests
{
    private static readonly string[] Codes = [.. typeof(DeliveryErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void ErrorCodesInJsonExamples_AreDeliveryErrorCodes()
    {
        var shown = new[] { "docs/http-api.md", "docs/forwarding.md" }
            .SelectMany(page => JsonErrorCode().Matches(Checkout.ReadText(page)).Select(m => (Page: page, Code: m.Groups["code"].Value)))
            .ToList();

        shown.Should().NotBeEmpty("the docs show outbox messages and attempts with their error code");
        shown.Should().OnlyContain(s => Codes.Contains(s.Code), $"every errorCode/lastErrorCode in the docs must be a DeliveryErrorCodes value ({string.Join(", ", Codes)})");
    }

    [Fact]
    public void TheCodeTableOfTheForwardingGuide_ListsEveryCode_AndNothingElse()
    {
        var rows = CodeTableRows();

        rows.SelectMany(r => r.Codes).Should().OnlyContain(code => Codes.Contains(code), "the table lists only real codes");
        Codes.Should().OnlyContain(code => rows.Any(r => r.Codes.Contains(code)), "every DeliveryErrorCodes value has a row in docs/forwarding.md");
    }

    [Fact]
    public void TheCodeTableOfTheForwardingGuide_ListsDestinationErrorAsRetriedToo_ForMetasTemporaryErrors()
    {
        // FacebookErrors answers Meta's temporary errors (is_transient, codes 1, 2, 4xx with a transient flag) with a
        // retry under destination_error, and permanent ones with a dead letter under the same code.
        var rows = CodeTableRows();

        rows.Where(r => r.Codes.Contains(DeliveryErrorCodes.DestinationError)).Select(r => r.Status)
            .Should().Contain("retried").And.Contain("dead letter");
    }

    private static List<(string[] Codes, string Status)> CodeTableRows()
    {
        var text = Checkout.ReadText("docs/forwarding.md");
        var start = text.IndexOf("| Code | Status | Meaning |", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "docs/forwarding.md has the table of delivery error codes");
        return [.. text[start..].Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (BacktickedCode().Matches(cells[1]).Select(m => m.Groups["code"].Value).ToArray(), cells[2]))];
    }

    [GeneratedRegex("\"(?:lastErrorCode|errorCode)\"\\s*:\\s*\"(?<code>[a-z_]+)\"")]
    private static partial Regex JsonErrorCode();

    [GeneratedRegex("`(?<code>[a-z_]+)`")]
    private static partial Regex BacktickedCode();
}
