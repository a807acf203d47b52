using System.Globalization;
using System.Text;
using CsCheck;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// Hostile requests for the receiver: a fixed catalogue that covers every kind at least once (1 MB bodies, 100 KB query
/// strings, JSON 10,000 deep, duplicate keys, 1e309/-0/NaN, injection strings, NUL and CRLF, tokens of every length …)
/// and a CsCheck generator, driven by the scenario's seed, that mixes random bytes, invalid UTF-8 and broken
/// percent-encoding into every parameter, name, token, event and body.
/// </summary>
internal sealed class HostileRequests
{
    public const int MaxBodyBytes = 16 * 1024;
    private const int MaxRequestLine = 8 * 1024;
    private const string Prefix = "/api/postbacks/";

    private static readonly string[] Events = ["registration", "first-deposit", "deposit", "tracker-postback", "emailconf", "withdrawal"];

    private static readonly string[] Names =
    [
        "click_id", "clickid", "amount", "transaction_id", "tid", "currency", "event", "tracker.event", "tracker.cost",
        "tracker.currency", "tracker.tid", "fields.user", "fields.", "reg", "ftd", "dep", "sub1", "sub4", "payout", "sum",
        "user_id", "site_id", "CLICK_ID", "click_id[]", "", "=", "%00", "fields.%0D%0A",
    ];

    private static readonly string[] Numbers =
    [
        "1e309", "-1e309", "-0", "-0.00", "+0", "NaN", "nan", "Infinity", "-Infinity", "1e-400", "1E+2", "0x1F", "1_000",
        "99999999999999999999", "999999999999.999999999", "1234567890123.5", "0.000000001", "%2B-1", "--1", "1.2.3,4", "1,234",
        "12,50", "12.50", "1 234,56", "1%C2%A0234,56", "%EF%BC%91%EF%BC%92", "%D9%A1%D9%A2", "12.50%20USD", "$12", "1e5", ".5", "5.",
        "7.77", "0.01", "-12.50", "1.000000000", "18446744073709551616", "79228162514264337593543950336",
    ];

    private static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE conversions; --", "1; SELECT pg_sleep(30)--", "\" OR 1=1 --", "') UNION SELECT * FROM clicks--",
        "'||(SELECT version())||'", "$$;DROP SCHEMA public CASCADE;$$", "\\'; DELETE FROM postback_log; --",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://127.0.0.1/a}",
        "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%s%s%s%n", "\u202Egnp.exe", "😀💸", "e\u0301", "\uFEFFbom",
        "{sub1}", "{click_id}", "[subid]", "#subid#", "OPTIONAL", "REPLACE", "{{tracker.clickid}}", "sub1", "null", "undefined", "true",
    ];

    private static readonly string[] BrokenEncodings =
    [
        "%", "%G1", "%1", "%%", "%%41", "%u0041", "100%", "%2", "%zz%", "%C3%28", "%A0%A1", "%E2%28%A1", "%F0%28%8C%BC", "%C0%AF",
        "%ED%A0%80", "%ED%BF%BF", "%FF", "%FE%FF", "%F8%88%80%80%80", "%F4%90%80%80", "%00", "a%00b", "%0D%0A", "x%0D%0ASet-Cookie:%20a=b",
        "%0A", "%0D", "%E2%80%A8", "%C2%85", "%7F", "%1B[31m", "%2F..%2F", "%25", "%252e%252e",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=latin1", "application/xml", "application/x-www-form-urlencoded; charset=utf-8", "*/*", "application/json\u0001",
        "application/problem+json", "text/html; charset=\"", "",
    ];

    private readonly string _token;
    private readonly IReadOnlyList<string> _clicks;

    public HostileRequests(string validToken, IReadOnlyList<string> clickIds)
    {
        _token = validToken;
        _clicks = clickIds;
    }

    /// <summary>The fixed catalogue: each hostile kind the scenario promises, whatever the seed.</summary>
    public IReadOnlyList<RawRequest> Catalogue()
    {
        var click = _clicks[0];
        var list = new List<RawRequest>
        {
            Post("1 MB body", "first-deposit", "application/json", Bytes(1 << 20, (byte)'a'), oversize: true),
            Post("1 MB body, chunked", "deposit", "application/x-www-form-urlencoded", Bytes(1 << 20, (byte)'='), chunked: true, oversize: true),
            Post("1 MB JSON object", "deposit", "application/json", Encoding.UTF8.GetBytes("{\"click_id\":\"" + new string('x', (1 << 20) - 20) + "\"}"), oversize: true),
            Get("100 KB query string", "deposit", $"click_id={click}&amount=1.00&pad={new string('a', 100 * 1024)}", oversize: true),
            Get("100 KB query of parameters", "registration", string.Join('&', Enumerable.Range(0, 12_000).Select(i => $"p{i}=1")), oversize: true),
            Get("40 KB header", "registration", $"click_id={click}", oversize: true, headers: [$"X-Padding: {new string('h', 40 * 1024)}"]),
            Post("JSON 10,000 deep (closed, 20 KB)", "tracker-postback", "application/json", Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)), oversize: true),
            Post("JSON 10,000 deep (unclosed)", "tracker-postback", "application/json", Encoding.ASCII.GetBytes(new string('[', 10_000))),
            Post("JSON objects 3,000 deep (unclosed)", "tracker-postback", "application/json", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 3_000)))),
            Post("JSON objects 1,000 deep (closed)", "tracker-postback", "application/json", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 1_000)) + "1" + new string('}', 1_000))),
            Post("JSON tracker object 200 deep", "tracker-postback", "application/json", Encoding.ASCII.GetBytes("{\"clickid\":\"" + click + "\",\"tracker\":" + string.Concat(Enumerable.Repeat("{\"tracker\":", 200)) + "1" + new string('}', 201))),
            Post("JSON duplicate keys", "deposit", "application/json", Encoding.UTF8.GetBytes($"{{\"click_id\":\"{click}\",\"click_id\":\"{_clicks[^1]}\",\"amount\":\"5.00\",\"amount\":\"6.00\",\"transaction_id\":\"dup-keys\"}}")),
            Post("JSON duplicate keys, same value", "registration", "application/json", Encoding.UTF8.GetBytes($"{{\"click_id\":\"{click}\",\"click_id\":\"{click}\"}}")),
            Post("JSON duplicate nested keys", "tracker-postback", "application/json", Encoding.UTF8.GetBytes($"{{\"clickid\":\"{click}\",\"tracker\":{{\"event\":\"sale\",\"cost\":\"1.00\"}},\"tracker\":{{\"event\":\"resale\",\"cost\":\"2.00\",\"tid\":\"n\"}}}}")),
            Post("form with invalid UTF-8", "deposit", "application/x-www-form-urlencoded", [.. Encoding.ASCII.GetBytes($"click_id={click}&amount=1.00&transaction_id="), 0xC3, 0x28, 0xFF, 0xFE]),
            Post("JSON with invalid UTF-8", "deposit", "application/json", [.. Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"amount\":\"1.00\",\"transaction_id\":\""), 0xED, 0xA0, 0x80, 0xC0, 0xAF, (byte)'"', (byte)'}']),
            Post("JSON with NUL and lone surrogate escapes", "deposit", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\\u0000\",\"amount\":\"1.00\",\"transaction_id\":\"\\ud800\"}}")),
            Post("JSON with a lone surrogate escape in a name", "registration", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"fields\":{{\"\\udc00x\":\"1\"}}}}")),
            Post("JSON as UTF-16", "registration", "application/json; charset=utf-16", Encoding.Unicode.GetBytes($"{{\"click_id\":\"{click}\"}}")),
            Post("body with a BOM", "registration", "application/json", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\"}}")]),
            Get("raw NUL in the request line", "registration", "click_id=a\0b"),
            Get("raw CRLF in the request line", "registration", "click_id=a\r\nX-Injected: 1"),
            Get("raw invalid UTF-8 in the request line", "registration", "click_id=\u00C3(\u00FF\u00FE"),
            Get("raw space in the request line", "registration", "click_id=a b"),
            Get("raw control bytes in the request line", "registration", "click_id=\u0001\u001B\u007F"),
            Get("second question mark", "deposit", $"click_id={click}?amount=1.00&transaction_id=q?q"),
            Get("empty pairs", "registration", "&&&=&==&click_id&"),
            Get("SQL injection in the click id", "registration", "click_id=" + Pct("' OR '1'='1'; DROP TABLE clicks; --")),
            Get("script in the click id", "registration", "click_id=" + Pct("<script>alert(1)</script>")),
            Get("SQL injection in the transaction id", "deposit", $"click_id={click}&amount=1.00&transaction_id=" + Pct("1'); DELETE FROM conversions; --")),
            Get("script in a field", "registration", $"click_id={_clicks[1]}&fields.note=" + Pct("<img src=x onerror=alert(1)>")),
            Get("NUL in the click id", "registration", "click_id=a%00b"),
            Get("CRLF in the click id", "registration", "click_id=a%0D%0ASet-Cookie:%20x=1"),
            Get("CRLF in a field", "registration", $"click_id={_clicks[1]}&fields.x=a%0D%0Ab"),
            Get("amount 1e309", "first-deposit", $"click_id={_clicks[2]}&amount=1e309"),
            Get("amount -0", "deposit", $"click_id={_clicks[2]}&amount=-0&transaction_id=minus-zero"),
            Get("amount NaN", "deposit", $"click_id={_clicks[2]}&amount=NaN&transaction_id=nan"),
            Get("amount Infinity", "deposit", $"click_id={_clicks[2]}&amount=Infinity&transaction_id=inf"),
            Post("JSON amount 1e309", "deposit", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"amount\":1e309,\"transaction_id\":\"j1\"}}")),
            Post("JSON amount -0", "deposit", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"amount\":-0,\"transaction_id\":\"j2\"}}")),
            Post("JSON amount NaN", "deposit", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"amount\":NaN,\"transaction_id\":\"j3\"}}")),
            Post("JSON amount 1E400 exponent", "deposit", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"amount\":1E400,\"transaction_id\":\"j4\"}}")),
            Post("JSON amount 30 digits", "deposit", "application/json", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\",\"amount\":123456789012345678901234567890.5,\"transaction_id\":\"j5\"}}")),
            Post("JSON array root", "registration", "application/json", "[]"u8.ToArray()),
            Post("JSON null root", "registration", "application/json", "null"u8.ToArray()),
            Post("JSON string root", "registration", "application/json", "\"click_id\""u8.ToArray()),
            Post("JSON truncated", "registration", "application/json", "{\"click_id\":"u8.ToArray()),
            Post("JSON with comments and trailing comma", "registration", "application/json", Encoding.ASCII.GetBytes($"{{/*x*/\"click_id\":\"{click}\",}}")),
            Post("empty JSON body", "registration", "application/json", []),
            Post("JSON 2,000 flat keys", "registration", "application/json", Encoding.ASCII.GetBytes("{" + string.Join(',', Enumerable.Range(0, 2_000).Select(i => $"\"k{i}\":{i}")) + "}")),
            Post("multipart garbage", "registration", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"click_id\"\r\n\r\nabc\r\n--x"u8.ToArray()),
            Post("form body with a JSON content type", "registration", "application/json", Encoding.ASCII.GetBytes($"click_id={click}")),
            Post("JSON body with a form content type", "registration", "application/x-www-form-urlencoded", Encoding.ASCII.GetBytes($"{{\"click_id\":\"{click}\"}}")),
            Raw("absolute-form target", "GET", $"http://127.0.0.1{Prefix}{_token}/registration?click_id={click}", toValidToken: true),
            Raw("asterisk-form target", "OPTIONS", "*"),
            Raw("path traversal to the tracker API", "GET", $"{Prefix}..%2F..%2Fapi%2Ftracker%2Fstats"),
            Raw("dot segments to the tracker API", "GET", $"{Prefix}{_token}/../../tracker/stats"),
            Raw("extra path segments", "GET", $"{Prefix}{_token}/deposit/extra?click_id={click}"),
        };

        foreach (var method in new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "FOO", "get" })
        {
            list.Add(Raw($"method {method}", method, $"{Prefix}{_token}/registration?click_id={click}", toValidToken: true));
        }

        // Tokens of every length from 0 to 64, and some far longer (the last ones past Kestrel's 8 KiB request line).
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        foreach (var length in Enumerable.Range(0, 65).Concat([100, 255, 256, 1_000, 4_000, 8_000, 9_000, 20_000]))
        {
            var token = string.Concat(Enumerable.Range(0, length).Select(i => alphabet[(i * 7 + length) % alphabet.Length]));
            list.Add(Raw($"token of length {length}", "GET", $"{Prefix}{token}/registration?click_id={click}", oversize: length >= MaxRequestLine - 100));
        }

        // Issue 9 (chunked bodies, duplicate JSON members): see the block at the end of this class.
        list.AddRange(UnreadableBodies());
        list.AddRange(DuplicateMembers());
        // Issue 9 input rules: see the block at the end of this class.
        list.AddRange(InputRules());
        return list;
    }

    /// <summary>The random part: <paramref name="count"/> requests from the seeded CsCheck generator.</summary>
    public IReadOnlyList<RawRequest> Generate(int seed, int count)
    {
        var generator = Generator();
        var pcg = new PCG(1, (ulong)(uint)seed);
        var requests = new List<RawRequest>(count);
        for (var i = 0; i < count; i++)
        {
            requests.Add(generator.Generate(pcg, null, out _));
        }

        return requests;
    }

    private Gen<RawRequest> Generator()
    {
        var anyBytes = Gen.Byte.Array[0, 48].Select(Pct);
        var longText = Gen.Int[500, 6_000].Select(n => new string('x', n));
        var value = Gen.Frequency(
            (6, anyBytes),
            (5, Gen.OneOf(BrokenEncodings)),
            (4, Gen.OneOf(Numbers)),
            (4, Gen.OneOf(Injections).Select(Pct)),
            (3, Gen.OneOf([.. _clicks])),
            (1, longText),
            (1, Gen.Const("")),
            (2, Gen.Char.Array[1, 24].Select(chars => Pct(new string(chars)))));
        var name = Gen.Frequency((6, Gen.OneOf(Names)), (1, anyBytes), (1, Gen.OneOf(BrokenEncodings)));
        var pair = Gen.Select(name, value, Gen.Int[0, 9], (n, v, shape) => shape switch
        {
            0 => n,
            1 => $"{n}={v}={v}",
            _ => $"{n}={v}",
        });
        var query = pair.Array[0, 10].Select(pairs => string.Join('&', pairs));
        var alphabet = Gen.OneOf("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".ToCharArray());
        var token = Gen.Frequency(
            (10, Gen.Const(_token)),
            (2, alphabet.Array[0, 100].Select(chars => new string(chars))),
            (2, alphabet.Array[22].Select(chars => new string(chars))),
            (1, anyBytes),
            (1, Gen.OneOf(BrokenEncodings)),
            (1, Gen.Const(_token).Select(t => t.ToLowerInvariant())),
            (1, Gen.Const(_token).Select(t => t + "%00")));
        var @event = Gen.Frequency(
            (8, Gen.OneOf(Events)),
            (3, Gen.Const("")),
            (2, value));
        var target = Gen.Select(token, @event, query, Gen.Int[0, 3], (t, e, q, shape) =>
        {
            // An empty event means the set's bare URL.
            var path = e.Length == 0 ? $"{Prefix}{t}" : $"{Prefix}{t}/{e}";
            return (Target: shape == 0 ? path : $"{path}?{q}", ToValidToken: t == _token);
        });
        var jsonValue = Gen.Frequency(
            (4, Gen.OneOf(Numbers).Select(n => n.Contains('%', StringComparison.Ordinal) ? $"\"{n}\"" : n)),
            (4, value.Select(v => JsonString(v))),
            (2, Gen.OneOf([.. _clicks]).Select(c => $"\"{c}\"")),
            (1, Gen.Int[1, 300].Select(depth => new string('[', depth) + new string(']', depth))),
            (1, Gen.OneOf("true", "false", "null", "{}", "[]", "\"\\u0000\"", "\"\\ud800\"", "\"\\uDFFF\\uD800\"")));
        var jsonMember = Gen.Select(Gen.OneOf(Names), jsonValue, (n, v) => $"\"{n}\":{v}");
        var jsonBody = Gen.Frequency(
            (5, jsonMember.Array[0, 8].Select(members => "{" + string.Join(',', members) + "}")),
            (1, jsonMember.Array[1, 4].Select(members => "{\"tracker\":{" + string.Join(',', members) + "}}")),
            (1, Gen.Int[0, 5_000].Select(depth => new string('{', depth))),
            (1, Gen.Int[1, 2_000].Select(depth => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "0" + new string('}', depth))));
        var body = Gen.Frequency(
            (4, query.Select(Encoding.Latin1.GetBytes)),
            (4, jsonBody.Select(Encoding.UTF8.GetBytes)),
            (2, Gen.Byte.Array[0, 2_048]),
            (1, Gen.Int[MaxBodyBytes - 4, MaxBodyBytes + 4].Select(n => Bytes(n, (byte)'a'))));
        var contentType = Gen.OneOf(ContentTypes);

        var get = Gen.Select(target, t => new RawRequest("generated GET", "GET", Encoding.Latin1.GetBytes(t.Target), [], null, false, Oversized(t.Target), t.ToValidToken));
        var post = Gen.Select(target, body, contentType, Gen.Bool, (t, b, c, chunked) => new RawRequest(
            "generated POST",
            "POST",
            Encoding.Latin1.GetBytes(t.Target),
            c.Length == 0 ? [] : [$"Content-Type: {c}"],
            b,
            chunked,
            Oversized(t.Target) || b.Length > MaxBodyBytes,
            t.ToValidToken));
        var rawTarget = Gen.Select(target, Gen.Byte.Array[1, 8], Gen.Int[0, 40], (t, bytes, at) =>
        {
            var text = Encoding.Latin1.GetBytes(t.Target).ToList();
            text.InsertRange(Math.Min(at, text.Count), bytes.Select(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' ? (byte)0x01 : b));
            return new RawRequest("generated raw bytes in the request line", "GET", [.. text], [], null, false, text.Count > MaxRequestLine - 100, t.ToValidToken);
        });
        return Gen.Frequency((10, get), (6, post), (2, rawTarget));
    }

    private RawRequest Get(string category, string @event, string query, bool oversize = false, string[]? headers = null) =>
        new(category, "GET", Encoding.Latin1.GetBytes($"{Prefix}{_token}/{@event}?{query}"), headers ?? [], null, false, oversize, true);

    private RawRequest Post(string category, string @event, string contentType, byte[] body, bool chunked = false, bool oversize = false) =>
        new(category, "POST", Encoding.Latin1.GetBytes($"{Prefix}{_token}/{@event}"), [$"Content-Type: {contentType}"], body, chunked, oversize || body.Length > MaxBodyBytes, true);

    private static RawRequest Raw(string category, string method, string target, bool toValidToken = false, bool oversize = false) =>
        new(category, method, Encoding.Latin1.GetBytes(target), [], null, false, oversize, toValidToken);

    private static bool Oversized(string target) => target.Length > MaxRequestLine - 100;

    private static byte[] Bytes(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }

    /// <summary>Percent-encodes the UTF-8 bytes of <paramref name="text"/> (lone surrogates become U+FFFD first).</summary>
    public static string Pct(string text) => Pct(Encoding.UTF8.GetBytes(text));

    public static string Pct(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // A JSON string holding the (already percent-encoded) text, escaping only what JSON requires.
    private static string JsonString(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // ---- Issue 9: bodies the server cannot de-frame, and JSON members given twice (tracker API) ---------------------

    private const string TrackerPrefix = "/api/tracker/";
    private const string UnknownToken = "AAAAAAAAAAAAAAAAAAAAAA";

    // Chunk sizes past Kestrel's 32-bit chunk length: an IOException out of the body stream, once a 500.
    private static readonly string[] OverflowingChunkSizes = ["80000000", "FFFFFFFF", "100000000", "FFFFFFFFFFFFFFFF"];

    /// <summary>Overflowing chunk sizes on the receiver (valid and unknown token) and on the tracker API with the key: 400 <c>body_unreadable</c>.</summary>
    private IEnumerable<RawRequest> UnreadableBodies()
    {
        foreach (var size in OverflowingChunkSizes)
        {
            var body = Encoding.ASCII.GetBytes($"{size}\r\nclick_id={_clicks[0]}&amount=1.00&transaction_id=chunked\r\n0\r\n\r\n");
            string[] form = ["Content-Type: application/x-www-form-urlencoded"];
            yield return new($"chunk size {size}", "POST", Encoding.ASCII.GetBytes($"{Prefix}{_token}/deposit"), form, body, false, false, true, Framed: true, ExpectedCode: "body_unreadable");
            yield return new($"chunk size {size}, unknown token", "POST", Encoding.ASCII.GetBytes($"{Prefix}{UnknownToken}/deposit"), form, body, false, false, false, Framed: true, ExpectedCode: "body_unreadable");
            foreach (var route in new[] { "clicks", "postback-sets", "campaigns" })
            {
                var json = Encoding.ASCII.GetBytes($"{size}\r\n{{\"name\":\"chunked\"}}\r\n0\r\n\r\n");
                yield return Tracker($"chunk size {size}, tracker API", "POST", route, json, "body_unreadable", framed: true);
            }
        }
    }

    /// <summary>A member given twice, at the top, in <c>settings</c> and in <c>fields</c>: 400 <c>validation_failed</c>, nothing created.</summary>
    private IEnumerable<RawRequest> DuplicateMembers()
    {
        (string Route, string Json)[] bodies =
        [
            ("clicks", """{"subjectId":"dup-a","subjectId":"dup-b"}"""),
            ("clicks", """{"campaignId":"bad-input","fields":{"utm_source":"a","utm_source":"b"}}"""),
            ("postback-sets", """{"name":"dup","name":"dup2","network":"binomo"}"""),
            ("postback-sets", """{"name":"dup","network":"1win","settings":{"clickIdSub":"sub1","clickIdSub":"sub4"}}"""),
            ("postback-sets", """{"name":"dup","network":"custom","settings":{"clickIdMacro":"{subid}","fields":{"u":"{uid}","u":"{user_id}"}}}"""),
            ("campaigns", """{"id":"dup-a","id":"dup-b","destination":"https://t.me/mybot?start={{tracker.clickid}}"}"""),
            ("links", $$$"""{"template":"https://x.example/?c={{tracker.clickid}}","clickId":"{{{_clicks[0]}}}","variables":{"v":"1","v":"2"}}"""),
            ("forwarding-rules", """{"setId":"01a21ce06e0070000000000000000000","destination":"http-postback","destination":"facebook-capi","settings":{}}"""),
        ];
        foreach (var (route, json) in bodies)
        {
            yield return Tracker("duplicate JSON member, tracker API", "POST", route, Encoding.UTF8.GetBytes(json), "validation_failed", framed: false);
        }
    }

    private static RawRequest Tracker(string category, string method, string route, byte[] body, string expectedCode, bool framed) =>
        new(category, method, Encoding.ASCII.GetBytes(TrackerPrefix + route), ["Content-Type: application/json", $"X-Api-Key: {SampleHost.ApiKey}"], body, false, false, false, framed, expectedCode);

    // ---- end of issue 9 -------------------------------------------------------------------------------------------

    // ---- Issue 9 input rules (defects 4, 5 and 11): a tg:// host macro, an 8 KiB Location, white-space amounts, control
    // characters in ids. Each request has an exact expected answer in InputRuleExpectations, keyed by its category. ----

    /// <summary>The campaign whose destination has a macro in its <c>tg://</c> host: creating it must answer 400.</summary>
    public const string TelegramHostCampaign = "tghost";

    /// <summary>A valid <c>tg://</c> campaign that renders a visitor's field.</summary>
    public const string TelegramCampaign = "tg-hostile";

    /// <summary>A campaign repeating one field 120 times, so long values would make a <c>Location</c> of hundreds of KB.</summary>
    public const string RepeatCampaign = "repeat-hostile";

    /// <summary>The campaigns the scenario creates before sending, with their destinations.</summary>
    public static readonly IReadOnlyList<(string Id, string Destination)> InputRuleCampaigns =
    [
        (TelegramHostCampaign, "tg://{{tracker.x}}"),
        (TelegramCampaign, "tg://resolve?domain=hostile_bot&start={{tracker.clickid}}&x={{tracker.x}}"),
        (RepeatCampaign, "https://t.me/hostile_bot?" + string.Concat(Enumerable.Repeat("x={{tracker.x}}&", 120)) + "start={{tracker.clickid}}"),
    ];

    /// <summary>The exact answer each input-rule request must get: <c>302</c>, <c>404</c>, or <c>400 &lt;code&gt;</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> InputRuleExpectations = InputRuleCases().ToDictionary(c => c.Category, c => c.Expected, StringComparer.Ordinal);

    private const string RedirectPrefix = "/api/go/";

    private IEnumerable<RawRequest> InputRules()
    {
        foreach (var (category, _, target, body) in InputRuleCases(_token, _clicks[1]))
        {
            yield return body is null
                ? new RawRequest(category, "GET", Encoding.Latin1.GetBytes(target), [], null, false, false, target.StartsWith(Prefix, StringComparison.Ordinal))
                : new RawRequest(category, "POST", Encoding.Latin1.GetBytes(target), ["Content-Type: application/json"], Encoding.UTF8.GetBytes(body), false, false, true);
        }
    }

    private static IEnumerable<(string Category, string Expected, string Target, string? Body)> InputRuleCases(string token = "", string click = "")
    {
        var postbacks = $"{Prefix}{token}";

        // Defect 4: a macro in a tg:// host is refused at save, so its redirect is an unknown campaign, never a 500.
        yield return ("redirect to a tg:// host macro", "404", $"{RedirectPrefix}{TelegramHostCampaign}?x=a%20b", null);
        foreach (var value in new[] { "a%20b", "%C2%85", "%E2%80%AE", "%0D%0ASet-Cookie:%20a=b", "%00", "%ED%A0%80", "%", "%G1", ".." })
        {
            yield return ($"redirect to tg:// with x={value}", "302", $"{RedirectPrefix}{TelegramCampaign}?x={value}", null);
        }

        // Defect 5: 120 × 256 × '%C3%A9' would be a Location of 184 KB; it stays within 8 KiB and still redirects.
        yield return ("redirect with a Location that would be 184 KB", "302", $"{RedirectPrefix}{RepeatCampaign}?x={string.Concat(Enumerable.Repeat("%C3%A9", 256))}", null);

        // Defect 11: white space alone is not "no amount", whatever the event.
        foreach (var (amount, @event) in new[] { ("%20", "registration"), ("%C2%A0", "registration"), ("+", "registration"), ("%20%20", "first-deposit"), ("%E2%80%AF", "emailconf") })
        {
            yield return ($"white-space amount {amount} on {@event}", "400 amount_invalid", $"{postbacks}/{@event}?click_id={click}&amount={amount}&transaction_id=ws", null);
        }

        yield return ("white-space JSON amount", "400 amount_invalid", $"{postbacks}/registration", $"{{\"click_id\":\"{click}\",\"amount\":\" \"}}");

        // Defect 11: C1 and bidirectional controls in ids.
        foreach (var control in new[] { "%C2%85", "%C2%9B", "%C2%80", "%C2%9F", "%E2%80%AA", "%E2%80%AB", "%E2%80%AC", "%E2%80%AD", "%E2%80%AE", "%E2%81%A6", "%E2%81%A7", "%E2%81%A8", "%E2%81%A9" })
        {
            yield return ($"transaction id with {control}", "400 transaction_id_invalid", $"{postbacks}/deposit?click_id={click}&amount=1.00&transaction_id=a{control}b", null);
            yield return ($"click id with {control}", "400 click_id_invalid", $"{postbacks}/registration?click_id=a{control}b", null);
        }

        yield return ("JSON transaction id with U+0085", "400 transaction_id_invalid", $"{postbacks}/deposit", $"{{\"click_id\":\"{click}\",\"amount\":\"1.00\",\"transaction_id\":\"a\\u0085b\"}}");
    }

    // ---- end of the issue 9 input rules ----
}
