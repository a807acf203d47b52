using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Masks one rule's secrets in what a destination answered, before an attempt is stored or logged: a destination that
/// echoes the request (a token in the body, a key in the path or query) must not put the secret into the outbox, the
/// tracker API's answers or the logs. Every secret is masked as written, percent-encoded and JSON-escaped (any case), a
/// secret cut at the end of a capped excerpt is masked too, and so is any <c>access_token</c> value
/// (<c>access_token=…</c>, <c>"access_token":"…"</c>), whoever's it is.
/// </summary>
internal sealed partial class SecretScrubber
{
    /// <summary>A scrubber that knows no secret values and masks only <c>access_token</c> values.</summary>
    internal static readonly SecretScrubber PatternsOnly = new([]);

    // A shorter tail of an excerpt is too likely to be ordinary text to be masked as the start of a secret.
    private const int MinimumCutSecret = 4;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    // One regex matching every secret in every spelling; built on first use, as most rules' outcomes carry no secret.
    private readonly Lazy<Regex?> _secrets;

    // The plain, percent-encoded and JSON-escaped spellings, longest first, for a secret cut at the end of an excerpt.
    private readonly string[] _forms;

    /// <summary>Initializes a new instance of the <see cref="SecretScrubber"/> class.</summary>
    /// <param name="secrets">The rule's secret values; empty ones are ignored.</param>
    internal SecretScrubber(IEnumerable<string> secrets)
    {
        var values = secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
        _secrets = new(() => values.Length == 0
            ? null
            : new Regex(string.Join('|', values.Select(Spellings)), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout));
        _forms = [.. values
            .SelectMany(v => new[] { v, Uri.EscapeDataString(v), JsonEncodedText.Encode(v).Value })
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(f => f.Length)];
    }

    /// <summary>Returns the text with every secret masked; <see langword="null"/> stays <see langword="null"/>.</summary>
    internal string? Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        try
        {
            if (_secrets.Value is { } secrets)
            {
                text = secrets.Replace(text, SecretMasker.Masked);
            }

            text = MaskCutSecret(text);
            return AccessTokenValue().Replace(text, "${key}" + SecretMasker.Masked);
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: a text that cannot be checked in time is not kept.
            return SecretMasker.Masked;
        }
    }

    /// <summary>Returns the completion with its attempt's reason, response excerpt and destination error scrubbed.</summary>
    internal OutboxCompletion Scrub(OutboxCompletion completion)
    {
        var attempt = completion.Attempt;
        var error = attempt.DestinationError;
        return completion with
        {
            Attempt = attempt with
            {
                Reason = Scrub(attempt.Reason),
                ResponseExcerpt = Scrub(attempt.ResponseExcerpt),
                DestinationError = error is null ? null : error with
                {
                    Code = Scrub(error.Code),
                    Subcode = Scrub(error.Subcode),
                    Type = Scrub(error.Type),
                    Message = Scrub(error.Message),
                    TraceId = Scrub(error.TraceId),
                },
            },
        };
    }

    // An excerpt is cut at DeliveryOutcome.MaxResponseExcerptLength, possibly inside a secret: mask a tail that starts one.
    private string MaskCutSecret(string text)
    {
        foreach (var form in _forms)
        {
            for (var length = Math.Min(form.Length - 1, text.Length); length >= MinimumCutSecret; length--)
            {
                if (text.EndsWith(form.AsSpan(0, length), StringComparison.OrdinalIgnoreCase))
                {
                    return string.Concat(text.AsSpan(0, text.Length - length), SecretMasker.Masked);
                }
            }
        }

        return text;
    }

    // A secret as written or with each other character percent-encoded (UTF-8), \u-escaped, backslash-escaped ("\/", as
    // PHP writes) or, for a space, '+'; letters, digits and hex in any case.
    private static string Spellings(string secret)
    {
        var pattern = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        Span<char> utf16 = stackalloc char[2];
        foreach (var rune in secret.EnumerateRunes())
        {
            if (rune.IsAscii && char.IsAsciiLetterOrDigit((char)rune.Value))
            {
                pattern.Append((char)rune.Value);
                continue;
            }

            pattern.Append("(?:").Append(Regex.Escape(rune.ToString())).Append('|');
            var bytes = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..bytes])
            {
                pattern.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            var chars = rune.EncodeToUtf16(utf16);
            pattern.Append('|');
            foreach (var c in utf16[..chars])
            {
                pattern.Append(@"\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }

            if (rune.IsAscii)
            {
                pattern.Append(@"|\\").Append(Regex.Escape(rune.ToString()));
            }

            if (rune.Value == ' ')
            {
                pattern.Append(@"|\+");
            }

            pattern.Append(')');
        }

        return pattern.ToString();
    }

    // access_token=…, access_token%3D…, "access_token":"…", \"access_token\":\"…\", 'access_token': '…'; the value ends at a
    // quote, a separator or an encoded one (%26 &, %22 ", %2C ,).
    [GeneratedRegex("""(?<key>access_token(?:\\?["'])?\s*(?:=|:|%3D)\s*(?:\\?["'])?)(?:[^\s"'&,;}\]\\%]|%(?!2[26C]))+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccessTokenValue();
}
