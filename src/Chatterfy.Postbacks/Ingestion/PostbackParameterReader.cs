using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// Reads a request's query string and body (form or JSON object) as parameters, query first. The query string and a
/// form body are read in place, as spans of the request's own strings: a parameter name or value becomes a string only
/// when the caller keeps it (<see cref="Cursor"/>). A JSON body is parsed up front into strings.
/// </summary>
internal static class PostbackParameterReader
{
    /// <summary>The most parameters read from one request, query and body together; the rest are ignored.</summary>
    public const int MaxParameters = 256;

    private const int MaxJsonDepth = 16;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// Checks the request's parameters and prepares them for reading, or returns a <c>body_invalid</c> rejection.
    /// </summary>
    /// <remarks>
    /// The reader's warnings (a repaired query string, then JSON arrays) come before every other warning. With a body
    /// they are added here: the query is split once more beforehand to count its parameters, since the body gets what
    /// is left of <see cref="MaxParameters"/>, and to find a stray <c>?</c>. Without one (the usual GET) the query is
    /// read only by the <see cref="Cursor"/>, and the caller adds the repaired-query warning first when it is done
    /// (<see cref="AddQueryRepaired"/>).
    /// </remarks>
    /// <param name="request">The request.</param>
    /// <param name="source">Where the parameters are, for <see cref="Cursor"/>.</param>
    /// <param name="warnings">The warnings, created on the first one.</param>
    /// <returns>The rejection, or <see langword="null"/> when the parameters can be read.</returns>
    public static PostbackRejection? Read(PostbackRequest request, out ParameterSource source, ref List<PostbackWarning>? warnings)
    {
        var query = request.QueryString;
        var body = request.Body;
        if (string.IsNullOrWhiteSpace(body))
        {
            source = new ParameterSource(query, QueryCount: 0, FormBody: null, JsonItems: null, QueryChecked: false);
            return null;
        }

        var reader = new FormReader(query, MaxParameters);
        while (reader.MoveNext(out _, out _, out _, out _))
        {
        }

        if (reader.Repaired)
        {
            AddQueryRepaired(ref warnings);
        }

        source = new ParameterSource(query, reader.Count, FormBody: null, JsonItems: null, QueryChecked: true);
        if (Encoding.UTF8.GetByteCount(body) > PostbackRequest.MaxBodyBytes)
        {
            return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, $"The body is larger than {PostbackRequest.MaxBodyBytes / 1024} KiB.");
        }

        if (!IsJson(request.ContentType, body))
        {
            source = source with { FormBody = body };
            return null;
        }

        var items = new List<KeyValuePair<string, string>>();
        var rejection = ReadJson(body, items, MaxParameters - reader.Count, ref warnings);
        source = source with { JsonItems = items };
        return rejection;
    }

    /// <summary>Adds the warning for a query string with more than one <c>?</c>, before any other warning.</summary>
    /// <param name="warnings">The warnings, created on the first one.</param>
    public static void AddQueryRepaired(ref List<PostbackWarning>? warnings) =>
        (warnings ??= []).Insert(0, new PostbackWarning(
            PostbackWarningCodes.QueryRepaired,
            "The query string has more than one '?'; each extra '?' was read as '&'. Remove the '?' from the URL configured in the network's panel."));

    /// <summary>
    /// Decodes form-encoded text exactly like <see cref="System.Net.WebUtility.UrlDecode(string)"/>, without allocating:
    /// <c>+</c> becomes a space, <c>%XX</c> a byte, and runs of bytes (with the ASCII characters between them) are read as
    /// UTF-8, malformed sequences becoming U+FFFD; a <c>%</c> without two hex digits and any non-ASCII character are kept.
    /// </summary>
    /// <param name="text">The encoded text.</param>
    /// <param name="destination">At least <paramref name="text"/>'s length: decoding never lengthens text.</param>
    /// <param name="bytes">Scratch space of at least <paramref name="text"/>'s length.</param>
    /// <returns>The number of characters written.</returns>
    public static int UrlDecode(ReadOnlySpan<char> text, Span<char> destination, Span<byte> bytes)
    {
        var written = 0;
        var pending = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                c = ' ';
            }
            else if (c == '%' && i < text.Length - 2 && HexValue(text[i + 1]) is var high and >= 0 && HexValue(text[i + 2]) is var low and >= 0)
            {
                bytes[pending++] = (byte)((high << 4) | low);
                i += 2;
                continue;
            }

            // As in WebUtility, ASCII characters join the pending bytes and any other character flushes them first.
            if (char.IsAscii(c))
            {
                bytes[pending++] = (byte)c;
                continue;
            }

            written += Flush(bytes, ref pending, destination[written..]);
            destination[written++] = c;
        }

        return written + Flush(bytes, ref pending, destination[written..]);

        static int Flush(Span<byte> bytes, ref int pending, Span<char> destination)
        {
            if (pending == 0)
            {
                return 0;
            }

            // Encoding.UTF8 replaces malformed input with U+FFFD and yields at most one character per byte.
            var count = Encoding.UTF8.GetChars(bytes[..pending], destination);
            pending = 0;
            return count;
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static bool IsJson(string? contentType, string body)
    {
        if (contentType is not null)
        {
            if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (contentType.Contains("form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return body.AsSpan().TrimStart().StartsWith('{');
    }

    private static PostbackRejection? ReadJson(string body, List<KeyValuePair<string, string>> parameters, int limit, ref List<PostbackWarning>? warnings)
    {
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, "A JSON body must be an object of parameters, e.g. {\"clickid\":\"abc\",\"amount\":\"10\"}.");
            }

            Flatten(document.RootElement, prefix: null, parameters, limit, ref warnings);
            return null;
        }
        catch (JsonException ex)
        {
            return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, $"The body is not valid JSON (nested at most {MaxJsonDepth} deep): {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // JsonDocument accepts an escaped lone surrogate ("\ud800") while parsing and throws only when the string is read.
            return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, "The body is not valid JSON: a string holds an escaped lone surrogate (e.g. \\ud800), which is not text.");
        }
    }

    // Nested objects become dotted names, so {"tracker":{"event":"sale"}} reads like tracker.event=sale.
    private static void Flatten(JsonElement element, string? prefix, List<KeyValuePair<string, string>> parameters, int limit, ref List<PostbackWarning>? warnings)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (parameters.Count >= limit)
            {
                return;
            }

            var name = prefix is null ? property.Name : prefix + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    parameters.Add(new(name, value.GetString() ?? ""));
                    break;
                case JsonValueKind.Number:
                    // The raw text keeps the exact digits; the amount grammar decides what is valid (1e309 is not).
                    parameters.Add(new(name, value.GetRawText()));
                    break;
                case JsonValueKind.True:
                    parameters.Add(new(name, "true"));
                    break;
                case JsonValueKind.False:
                    parameters.Add(new(name, "false"));
                    break;
                case JsonValueKind.Object:
                    Flatten(value, name, parameters, limit, ref warnings);
                    break;
                case JsonValueKind.Array:
                    (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"The JSON parameter '{name}' is an array; arrays are not read.", name));
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// Where a request's parameters are: the query string, then a form body or the parameters of a JSON body. Cheap to
    /// copy; read it with <see cref="Cursor"/>.
    /// </summary>
    /// <param name="Query">The raw query string.</param>
    /// <param name="QueryCount">How many parameters the query string holds, when <paramref name="QueryChecked"/>.</param>
    /// <param name="FormBody">The raw form body, or <see langword="null"/>.</param>
    /// <param name="JsonItems">The flattened JSON body, or <see langword="null"/>.</param>
    /// <param name="QueryChecked">Whether <see cref="Read"/> counted the query and added its warning.</param>
    internal readonly record struct ParameterSource(string Query, int QueryCount, string? FormBody, List<KeyValuePair<string, string>>? JsonItems, bool QueryChecked);

    /// <summary>
    /// Splits form-encoded text (<c>a=1&amp;b=2</c>, a leading <c>?</c> skipped) into raw name and value spans in one pass
    /// that also tells which of them need decoding. A stray <c>?</c> separates like <c>&amp;</c> and sets
    /// <see cref="Repaired"/>; pairs without a name are skipped.
    /// </summary>
    private ref struct FormReader
    {
        // What ends a pair or its name, and what decoding changes: one vectorized search finds the next of any.
        private static readonly SearchValues<char> Specials = SearchValues.Create("&?=%+");

        private readonly int _limit;
        private ReadOnlySpan<char> _rest;

        public FormReader(ReadOnlySpan<char> text, int limit)
        {
            _rest = text.StartsWith('?') ? text[1..] : text;
            _limit = limit;
        }

        /// <summary>Gets how many parameters have been read.</summary>
        public int Count { get; private set; }

        /// <summary>Gets a value indicating whether a <c>?</c> was read as a separator.</summary>
        public bool Repaired { get; private set; }

        public bool MoveNext(out ReadOnlySpan<char> name, out ReadOnlySpan<char> value, out bool nameEncoded, out bool valueEncoded)
        {
            while (!_rest.IsEmpty && Count < _limit)
            {
                var equals = -1;
                var end = _rest.Length;
                nameEncoded = false;
                valueEncoded = false;
                for (var i = _rest.IndexOfAny(Specials); i >= 0; i = NextSpecial(_rest, i + 1))
                {
                    var c = _rest[i];
                    if (c is '&' or '?')
                    {
                        end = i;
                        Repaired |= c == '?';
                        break;
                    }

                    if (c == '=' && equals < 0)
                    {
                        equals = i;
                    }
                    else if (c is '%' or '+')
                    {
                        nameEncoded |= equals < 0;
                        valueEncoded |= equals >= 0;
                    }
                }

                var pair = _rest[..end];
                _rest = end < _rest.Length ? _rest[(end + 1)..] : [];
                name = equals < 0 ? pair : pair[..equals];

                // Decoding never empties a name, so an empty raw name is the only nameless pair.
                if (name.IsEmpty)
                {
                    continue;
                }

                value = equals < 0 ? [] : pair[(equals + 1)..];
                Count++;
                return true;
            }

            name = default;
            value = default;
            nameEncoded = false;
            valueEncoded = false;
            return false;

            static int NextSpecial(ReadOnlySpan<char> text, int start)
            {
                var next = text[start..].IndexOfAny(Specials);
                return next < 0 ? -1 : start + next;
            }
        }
    }

    /// <summary>
    /// Reads the parameters of a <see cref="ParameterSource"/> in order, decoded. A name or value is a span over the
    /// request's string when it needs no decoding, or over the cursor's scratch space, valid until the next
    /// <see cref="MoveNext"/>; <c>NameText</c>/<c>ValueText</c> give the string when one already exists (JSON). Dispose it
    /// to return scratch space to the pool.
    /// </summary>
    internal ref struct Cursor
    {
        // Enough for the decoded name and value of almost every parameter; longer ones rent from the pool.
        private const int StackScratch = 256;

        private readonly List<KeyValuePair<string, string>>? _jsonItems;
        private readonly string? _formBody;
        private readonly int _bodyLimit;
        private FormReader _reader;
        private int _stage;
        private bool _queryRepaired;
        private int _jsonIndex;
        private Span<char> _chars;
        private Span<byte> _bytes;
        private char[]? _rentedChars;
        private byte[]? _rentedBytes;

        /// <summary>Initializes a new instance of the <see cref="Cursor"/> struct.</summary>
        /// <param name="source">The parameters.</param>
        /// <param name="chars">Scratch space for decoded text, typically <see cref="StackScratch"/> characters on the stack.</param>
        /// <param name="bytes">Scratch space for decoding, as long as <paramref name="chars"/>.</param>
        public Cursor(ParameterSource source, Span<char> chars, Span<byte> bytes)
        {
            _reader = new FormReader(source.Query, MaxParameters);
            _formBody = source.FormBody;
            _jsonItems = source.JsonItems;
            _bodyLimit = MaxParameters - source.QueryCount;
            _chars = chars;
            _bytes = bytes;
        }

        /// <summary>Gets the scratch length a caller should stack-allocate.</summary>
        public static int ScratchLength => StackScratch;

        /// <summary>Gets the current name as a string when one exists without allocating, else <see langword="null"/>.</summary>
        public string? NameText { get; private set; }

        /// <summary>Gets the current value as a string when one exists without allocating, else <see langword="null"/>.</summary>
        public string? ValueText { get; private set; }

        /// <summary>Gets a value indicating whether a stray <c>?</c> was read as a separator in the query read so far.</summary>
        public readonly bool QueryRepaired => _queryRepaired || (_stage == 0 && _reader.Repaired);

        public bool MoveNext(out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
        {
            while (true)
            {
                switch (_stage)
                {
                    case 0:
                        if (_reader.MoveNext(out var rawName, out var rawValue, out var decodeName, out var decodeValue))
                        {
                            Decode(rawName, rawValue, decodeName, decodeValue, out name, out value);
                            return true;
                        }

                        _queryRepaired = _reader.Repaired;
                        _stage = 1;
                        if (_formBody is not null)
                        {
                            _reader = new FormReader(_formBody, _bodyLimit);
                        }

                        break;
                    case 1:
                        if (_formBody is not null && _reader.MoveNext(out rawName, out rawValue, out decodeName, out decodeValue))
                        {
                            Decode(rawName, rawValue, decodeName, decodeValue, out name, out value);
                            return true;
                        }

                        _stage = 2;
                        break;
                    default:
                        if (_jsonItems is not null && _jsonIndex < _jsonItems.Count)
                        {
                            var (jsonName, jsonValue) = _jsonItems[_jsonIndex++];
                            NameText = jsonName;
                            ValueText = jsonValue;
                            name = jsonName;
                            value = jsonValue;
                            return true;
                        }

                        name = default;
                        value = default;
                        return false;
                }
            }
        }

        public void Dispose()
        {
            if (_rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(_rentedChars);
                _rentedChars = null;
            }

            if (_rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(_rentedBytes);
                _rentedBytes = null;
            }
        }

        private void Decode(
            ReadOnlySpan<char> rawName,
            ReadOnlySpan<char> rawValue,
            bool decodeName,
            bool decodeValue,
            out ReadOnlySpan<char> name,
            out ReadOnlySpan<char> value)
        {
            NameText = null;
            ValueText = null;
            if (!decodeName && !decodeValue)
            {
                name = rawName;
                value = rawValue;
                return;
            }

            // The name and the value must both stay valid, so they share the scratch space: name first, then value.
            var needed = rawName.Length + rawValue.Length;
            if (needed > _chars.Length)
            {
                Rent(needed);
            }

            var nameLength = decodeName ? UrlDecode(rawName, _chars, _bytes) : 0;
            name = decodeName ? _chars[..nameLength] : rawName;
            value = decodeValue ? _chars.Slice(nameLength, UrlDecode(rawValue, _chars[nameLength..], _bytes)) : rawValue;
        }

        private void Rent(int length)
        {
            Dispose();
            _rentedChars = ArrayPool<char>.Shared.Rent(length);
            _rentedBytes = ArrayPool<byte>.Shared.Rent(length);
            _chars = _rentedChars;
            _bytes = _rentedBytes;
        }
    }
}
