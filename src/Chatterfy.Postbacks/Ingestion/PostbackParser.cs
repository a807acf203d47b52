using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// Turns a raw postback request for a set into a validated, normalized <see cref="Conversion"/> or a precise
/// <see cref="PostbackRejection"/>. Pure: it reads no store and writes nothing.
/// </summary>
/// <remarks>
/// Parameters are read from the query string first, then the body. For a field with several aliases the first alias
/// present wins (click id <c>clickid</c> | <c>click_id</c>; amount <c>amount</c> | <c>tracker.cost</c> | <c>payout</c> |
/// <c>sum</c>; currency <c>currency</c> | <c>tracker.currency</c>; transaction id <c>tid</c> | <c>tracker.tid</c> |
/// <c>transaction_id</c> | <c>txid</c>; event <c>tracker.event</c> | <c>event</c>; status <c>status</c> | <c>cnv_status</c> |
/// <c>conv_status</c> | <c>goal_status</c>), and a conflicting value of a later
/// alias adds a warning. The event comes from the path, then the event parameter, then network flags.
/// </remarks>
public sealed class PostbackParser
{
    /// <summary>The longest transaction id accepted.</summary>
    public const int MaxTransactionIdLength = 128;

    /// <summary>The most <c>fields.*</c> attributes kept from one postback.</summary>
    public const int MaxAttributes = 50;

    /// <summary>
    /// The last path segment of a tracker-style postback URL (<c>…/{token}/tracker-postback</c>): not an event name, the
    /// event comes from <c>tracker.event</c>.
    /// </summary>
    public const string TrackerPostbackSegment = "tracker-postback";

    /// <summary>
    /// The path segment of a set's status URL (<c>/{token}/status</c>): the postback carries a status for a stored
    /// conversion (<see cref="Conversion.IsStatusOnly"/>), found by transaction id or as the click's only pending one.
    /// </summary>
    public const string StatusSegment = "status";

    /// <summary>The longest <c>fields.*</c> attribute key (and tracker field key), in characters.</summary>
    public const int MaxAttributeKeyLength = 64;

    /// <summary>The longest attribute value kept.</summary>
    public const int MaxAttributeValueLength = 512;


    private readonly IAffiliateNetworkRegistry _networks;
    private readonly IOptionsMonitor<ChatterfyPostbacksOptions> _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="PostbackParser"/> class.</summary>
    /// <param name="networks">The registered networks.</param>
    /// <param name="options">The SDK options (de-duplication window).</param>
    /// <param name="timeProvider">The clock that stamps the receive time.</param>
    public PostbackParser(IAffiliateNetworkRegistry networks, IOptionsMonitor<ChatterfyPostbacksOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _networks = networks;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>Parses and validates a postback addressed to <paramref name="postbackSet"/>.</summary>
    /// <param name="postbackSet">The set the request's token belongs to.</param>
    /// <param name="request">The raw request.</param>
    /// <param name="receivedAt">The receive time; <see langword="null"/> for now. A replay passes the original time.</param>
    /// <returns>The conversion or the rejection, with warnings.</returns>
    public PostbackParseResult Parse(PostbackSet postbackSet, PostbackRequest request, DateTimeOffset? receivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        ArgumentNullException.ThrowIfNull(request);
        var profile = _networks.GetProfile(postbackSet);

        // Most postbacks have no warning: the list is created with the first one.
        List<PostbackWarning>? warnings = null;
        if (PostbackParameterReader.Read(request, out var source, ref warnings) is { } bodyRejection)
        {
            return PostbackParseResult.Rejected(bodyRejection, Warnings(warnings));
        }

        var fields = default(FieldValues);
        var attributes = ReadFields(source, profile, ref fields, ref warnings);

        // Click id: required, and the most common victim of unsubstituted macros.
        var clickId = fields.Select(CanonicalField.ClickId, ref warnings, out var clickIdMacro);
        if (clickId is null)
        {
            return clickIdMacro is null
                ? Reject(PostbackRejectionCodes.ClickIdMissing, "The postback has no click id: send it as clickid (or click_id), e.g. clickid={sub1}.", "clickid", warnings)
                : Reject(PostbackRejectionCodes.MacroNotSubstituted, $"The click id is '{clickIdMacro}', a macro the network did not replace. Check the macro name in the network's panel.", "clickid", warnings);
        }

        if (!PostbackIds.IsValidClickId(clickId))
        {
            return Reject(PostbackRejectionCodes.ClickIdInvalid, $"The click id '{Truncate(clickId)}' is not a tracker click id: it must be 1 to {Click.MaxIdLength} of A-Z a-z 0-9 . _ - and not a parameter name.", "clickid", warnings);
        }

        if (!TryResolveEvent(request, new PostbackParameters(source), profile, ref fields, ref warnings, out var conversionEvent, out var statusOnly, out var eventRejection))
        {
            return PostbackParseResult.Rejected(eventRejection, Warnings(warnings));
        }

        // A postback without an event is a status update, so it needs a status, read now (before the amount).
        var statusOnlyRead = statusOnly ? ReadStatus(postbackSet, ref fields, ref warnings) : default;
        if (statusOnly && statusOnlyRead.Status is null)
        {
            return string.Equals(request.EventSegment, StatusSegment, StringComparison.OrdinalIgnoreCase)
                ? Reject(PostbackRejectionCodes.EventUnknown, "The status URL needs a status: send status (or cnv_status, conv_status, goal_status), e.g. status=approved.", "status", warnings)
                : Reject(PostbackRejectionCodes.EventUnknown, $"The postback names no event: use the set's {PostbackEvent.RegistrationName}, {PostbackEvent.FirstDepositName} or {PostbackEvent.DepositName} URL, or send tracker.event (or event).", "event", warnings);
        }

        if (!TryReadAmount(conversionEvent, ref fields, ref warnings, out var amount, out var amountRejection))
        {
            return PostbackParseResult.Rejected(amountRejection, Warnings(warnings));
        }

        // A currency without an amount is not kept, so it cannot make a postback invalid either.
        var currency = amount is null ? null : fields.Select(CanonicalField.Currency, ref warnings, out _);
        if (currency is not null && !CurrencyCode.IsValidIgnoringCase(currency))
        {
            return Reject(PostbackRejectionCodes.CurrencyInvalid, $"The currency '{Truncate(currency)}' is not an ISO 4217 code: send three letters, e.g. USD.", "currency", warnings);
        }

        currency = amount is null ? null : currency?.ToUpperInvariant() ?? profile.DefaultCurrency;

        var transactionId = fields.Select(CanonicalField.TransactionId, ref warnings, out _);
        if (transactionId is not null && !PostbackIds.IsValidTransactionId(transactionId))
        {
            return Reject(PostbackRejectionCodes.TransactionIdInvalid, $"The transaction id must be at most {MaxTransactionIdLength} characters without control or bidirectional-control characters.", "tid", warnings);
        }

        var (status, statusWord, statusUnknown) = statusOnly ? statusOnlyRead : ReadStatus(postbackSet, ref fields, ref warnings);
        var at = receivedAt ?? _timeProvider.GetUtcNow();
        var conversion = new Conversion
        {
            SetId = postbackSet.Id,
            Event = conversionEvent,
            ClickId = clickId,
            Amount = amount,
            Currency = currency,
            TransactionId = transactionId,
            Attributes = attributes,
            ReceivedAt = at.ToUniversalTime(),
            RemoteAddress = request.RemoteAddress,
            // The status is not part of the key: a status postback finds the conversion it changes by the same key.
            IdempotencyKey = ComputeIdempotencyKey(postbackSet.Id, conversionEvent, clickId, amount, currency, transactionId, attributes),
            Status = status,
            StatusWord = statusWord,
            StatusWordUnknown = statusUnknown,
            IsStatusOnly = statusOnly,
        };
        return PostbackParseResult.Success(conversion, Warnings(warnings));

        static PostbackParseResult Reject(string code, string message, string field, List<PostbackWarning>? warnings) =>
            PostbackParseResult.Rejected(new PostbackRejection(code, message, field), Warnings(warnings));
    }

    /// <summary>
    /// Reads the status word through the set's map (or the default one): an unmapped word is pending with
    /// <c>status_unknown</c>; a word no map could hold (too long, control characters) is ignored with <c>parameter_ignored</c>.
    /// </summary>
    private static (ConversionStatus? Status, string? Word, bool Unknown) ReadStatus(PostbackSet postbackSet, ref FieldValues fields, ref List<PostbackWarning>? warnings)
    {
        var word = fields.Select(CanonicalField.Status, ref warnings, out _)?.Trim();
        if (word is null)
        {
            return (null, null, false);
        }

        if (word.Length > ConversionStatusMap.MaxWordLength || word.Any(char.IsControl))
        {
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"The status '{Truncate(word)}' was ignored: a status word is 1 to {ConversionStatusMap.MaxWordLength} characters without control characters.", "status"));
            return (null, null, false);
        }

        if ((postbackSet.StatusMap ?? ConversionStatusMap.Default).TryResolve(word, out var status))
        {
            return (status, word, false);
        }

        (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.StatusUnknown, $"The status '{word}' is not in the set's status map; the conversion is {ConversionStatusNames.Pending} until the map names the word.", "status"));
        return (ConversionStatus.Pending, word, true);
    }

    // The shared empty array when there were none.
    private static IReadOnlyList<PostbackWarning> Warnings(List<PostbackWarning>? warnings) =>
        warnings is null ? Array.Empty<PostbackWarning>() : warnings;

    /// <summary>Computes the de-duplication key of a conversion (see <see cref="IdempotencyKey"/>).</summary>
    private IdempotencyKey ComputeIdempotencyKey(
        string setId,
        PostbackEvent conversionEvent,
        string clickId,
        decimal? amount,
        string? currency,
        string? transactionId,
        IReadOnlyDictionary<string, string> attributes)
    {
        // Each key is one concatenation of its parts: no intermediate prefix string.
        // A retry that adds or changes a transaction id is still the same registration or first deposit.
        if (conversionEvent.Kind is PostbackEventKind.Registration or PostbackEventKind.FirstDeposit)
        {
            return new IdempotencyKey(string.Concat(setId, ":", conversionEvent.Name, ":", clickId), null);
        }

        if (transactionId is not null)
        {
            return transactionId.Length <= 64
                ? new IdempotencyKey(string.Concat([setId, ":", conversionEvent.Name, ":", clickId, ":t:", transactionId]), null)
                : new IdempotencyKey(string.Concat([setId, ":", conversionEvent.Name, ":", clickId, ":th:", Hash(transactionId)]), null);
        }

        var canonical = new StringBuilder()
            .Append(clickId).Append('\n')
            .Append(conversionEvent.Name).Append('\n')
            .Append(amount?.ToString("0.########", CultureInfo.InvariantCulture)).Append('\n')
            .Append(currency).Append('\n');
        var keys = new string[attributes.Count];
        var index = 0;
        foreach (var (key, _) in attributes)
        {
            keys[index++] = key;
        }

        Array.Sort(keys, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            canonical.Append(key).Append('=').Append(attributes[key]).Append('\n');
        }

        return new IdempotencyKey(
            string.Concat([setId, ":", conversionEvent.Name, ":", clickId, ":h:", Hash(canonical.ToString())]),
            _options.CurrentValue.DeduplicationWindow);
    }

    private static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Base64Url.EncodeToString(digest[..18]);
    }

    /// <summary>
    /// Reads every parameter once, in order: canonical fields go to <paramref name="fields"/>, <c>fields.*</c> to the
    /// returned attributes. Names are classified as spans; only the values kept become strings.
    /// </summary>
    [SkipLocalsInit]
    private static IReadOnlyDictionary<string, string> ReadFields(
        PostbackParameterReader.ParameterSource source,
        NetworkProfile profile,
        ref FieldValues fields,
        ref List<PostbackWarning>? warnings)
    {
        var attributes = default(AttributeMap.Builder);
        var cursor = new PostbackParameterReader.Cursor(
            source,
            stackalloc char[PostbackParameterReader.Cursor.ScratchLength],
            stackalloc byte[PostbackParameterReader.Cursor.ScratchLength]);
        try
        {
            while (cursor.MoveNext(out var name, out var value))
            {
                var canonicalName = name;
                var field = CanonicalFields.Classify(name, out var rank);
                if (field == CanonicalField.None)
                {
                    // Networks see names as strings; the names a network repeats come from the cache.
                    if (!profile.TryMapParameter(cursor.NameText ?? NameCache.Get(name), out var mapped))
                    {
                        continue;
                    }

                    canonicalName = mapped;
                    field = CanonicalFields.Classify(mapped, out rank);
                }

                if (field == CanonicalField.Attribute)
                {
                    AddAttribute(ref attributes, canonicalName[CanonicalFields.AttributePrefix.Length..], value, cursor.ValueText, ref warnings);
                }
                else if (field != CanonicalField.None)
                {
                    fields.Offer(field, rank, value, cursor.ValueText);
                }
            }
        }
        finally
        {
            cursor.Dispose();
        }

        // Without a body nothing counted the query beforehand (see PostbackParameterReader.Read); its warning goes first.
        if (!source.QueryChecked && cursor.QueryRepaired)
        {
            PostbackParameterReader.AddQueryRepaired(ref warnings);
        }

        return attributes.Build();
    }

    private static void AddAttribute(
        ref AttributeMap.Builder attributes,
        ReadOnlySpan<char> key,
        ReadOnlySpan<char> value,
        string? valueText,
        ref List<PostbackWarning>? warnings)
    {
        // Duplicate parameters: the first value wins, as everywhere else.
        if (value.IsWhiteSpace() || attributes.ContainsKey(key))
        {
            return;
        }

        // The warnings' texts are built only on their branches: a valid attribute costs its value and nothing else.
        if (!CanonicalFields.IsAttributeKey(key))
        {
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"The field key '{Truncate(key)}' was ignored: keys are 1 to 64 of A-Z a-z 0-9 _ - .", FieldName(key)));
        }
        else if (UnsubstitutedMacro.Matches(value))
        {
            var field = FieldName(key);
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.MacroIgnored, $"{field} was '{Truncate(value)}', a macro the network did not replace; it was ignored.", field));
        }
        else if (value.Length > MaxAttributeValueLength)
        {
            var field = FieldName(key);
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"{field} was ignored: values are at most {MaxAttributeValueLength} characters.", field));
        }
        else if (attributes.Count >= MaxAttributes)
        {
            var field = FieldName(key);
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"{field} was ignored: at most {MaxAttributes} fields are kept.", field));
        }
        else
        {
            // Keys repeat from postback to postback; values are the postback's own.
            attributes.Add(NameCache.Get(key), valueText ?? value.ToString());
        }

        static string FieldName(ReadOnlySpan<char> key) => string.Concat(CanonicalFields.AttributePrefix, key);
    }

    // The event of a status-only postback (never stored): the custom event named like the status URL's segment.
    private static readonly PostbackEvent StatusEvent = PostbackEvent.TryParse(StatusSegment, out var statusEvent)
        ? statusEvent
        : throw new InvalidOperationException("'status' is a custom event name.");

    private static bool TryResolveEvent(
        PostbackRequest request,
        PostbackParameters parameters,
        NetworkProfile profile,
        ref FieldValues fields,
        ref List<PostbackWarning>? warnings,
        out PostbackEvent conversionEvent,
        out bool statusOnly,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out PostbackRejection? rejection)
    {
        conversionEvent = default;
        statusOnly = false;
        rejection = null;
        PostbackEvent? fromPath = null;
        var segment = request.EventSegment;
        if (string.Equals(segment, StatusSegment, StringComparison.OrdinalIgnoreCase))
        {
            // The status URL: whatever event the parameters name, the status decides (Parse rejects it without one).
            conversionEvent = StatusEvent;
            statusOnly = true;
            return true;
        }

        if (!string.IsNullOrEmpty(segment) && !segment.Equals(TrackerPostbackSegment, StringComparison.OrdinalIgnoreCase))
        {
            if (!PostbackEvent.TryParse(segment, out var pathEvent))
            {
                rejection = new PostbackRejection(PostbackRejectionCodes.EventUnknown, $"The URL path names the event '{Truncate(segment)}', which is not an event name: use {EventNameHint.Text}.", "event");
                return false;
            }

            fromPath = pathEvent;
        }

        var eventName = fields.Select(CanonicalField.Event, ref warnings, out _);
        PostbackEvent? fromParameter = null;
        if (eventName is not null)
        {
            if (PostbackEvent.TryParse(eventName, out var parameterEvent))
            {
                fromParameter = parameterEvent;
            }
            else if (fromPath is null)
            {
                rejection = new PostbackRejection(PostbackRejectionCodes.EventUnknown, $"The event '{Truncate(eventName)}' is not an event name: use {EventNameHint.Text}.", "event");
                return false;
            }
            else
            {
                (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"The event parameter '{Truncate(eventName)}' is not an event name and was ignored; the URL path names the event.", "event"));
            }
        }

        var fromFlags = profile.DetectEventFromFlags(parameters);
        if (fromPath is null && fromParameter is null && fromFlags is null)
        {
            // No event: a status update for a stored conversion if the postback carries a status (Parse rejects it otherwise).
            conversionEvent = StatusEvent;
            statusOnly = true;
            return true;
        }

        // Order: the path, then the event parameter, then network flags; a network may let its flag beat the path.
        conversionEvent = fromPath ?? fromParameter ?? fromFlags!.Value;
        if (fromPath is { } path && fromFlags is { } overriding && overriding != path && profile.EventFlagsOverridePath)
        {
            conversionEvent = overriding;
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.EventFlagOverridesPath, $"The URL path says {path.Name} but the network's flag says {overriding.Name}; the flag was used. Configure the set's bare URL in the network's single-URL field.", "event"));
        }
        else if (fromPath is { } pathEvent && fromFlags is { } flag && flag != pathEvent)
        {
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.EventConflict, $"The URL path says {pathEvent.Name} but the network's flag says {flag.Name}; the path was used.", "event"));
        }
        else if (fromPath is null && fromParameter is { } named && fromFlags is { } flagged && flagged != named)
        {
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.EventConflict, $"The event parameter says {named.Name} but the network's flag says {flagged.Name}; the parameter was used.", "event"));
        }

        if (fromParameter is { } ignoredParameter && ignoredParameter != conversionEvent && fromPath is not null)
        {
            (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.EventConflict, $"The event parameter says {ignoredParameter.Name} but {conversionEvent.Name} was used, from the URL path or the network's flag.", "event"));
        }

        return true;
    }

    private static bool TryReadAmount(
        PostbackEvent conversionEvent,
        ref FieldValues fields,
        ref List<PostbackWarning>? warnings,
        out decimal? amount,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out PostbackRejection? rejection)
    {
        amount = null;
        rejection = null;
        var text = fields.Select(CanonicalField.Amount, ref warnings, out var macro);
        if (text is null)
        {
            if (!conversionEvent.RequiresAmount)
            {
                return true;
            }

            rejection = macro is null
                ? new PostbackRejection(PostbackRejectionCodes.AmountMissing, $"A {conversionEvent.Name} postback needs an amount: send amount (or tracker.cost, payout, sum).", "amount")
                : new PostbackRejection(PostbackRejectionCodes.MacroNotSubstituted, $"The amount is '{macro}', a macro the network did not replace. Check the macro name in the network's panel.", "amount");
            return false;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            rejection = new PostbackRejection(PostbackRejectionCodes.AmountInvalid, "The amount is only white space: send a number, or an empty amount (amount=) when there is none.", "amount");
            return false;
        }

        switch (AmountParser.Parse(text, out var value))
        {
            case AmountParseStatus.Ambiguous:
                rejection = new PostbackRejection(PostbackRejectionCodes.AmountAmbiguous, $"The amount '{Truncate(text)}' is ambiguous: a lone ',' followed by three digits could be a thousands separator or a decimal point. Send 1234 or 1.234.", "amount");
                return false;
            case AmountParseStatus.Invalid:
                rejection = new PostbackRejection(PostbackRejectionCodes.AmountInvalid, $"The amount '{Truncate(text)}' is not a number: send digits with an optional '.' or ',' decimal point, at most {AmountParser.MaxIntegerDigits} integer and {AmountParser.MaxDecimalDigits} decimal digits, no currency or exponent.", "amount");
                return false;
            default:
                break;
        }

        if (value < 0 && conversionEvent.Kind != PostbackEventKind.Custom)
        {
            rejection = new PostbackRejection(PostbackRejectionCodes.AmountInvalid, $"The amount '{Truncate(text)}' is negative; only custom events (e.g. withdrawal) may carry negative amounts.", "amount");
            return false;
        }

        amount = value;
        return true;
    }

    // Echoing input into messages is useful, but never unbounded.
    private static string Truncate(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 61), "...");

    private static string Truncate(ReadOnlySpan<char> value) => value.Length <= 64 ? value.ToString() : string.Concat(value[..61], "...");

    /// <summary>
    /// The first non-empty value of each alias of each canonical field: a struct on the parser's stack, its slots inline.
    /// </summary>
    private struct FieldValues
    {
        private const int SlotCount = (int)CanonicalField.Attribute * CanonicalFields.MaxAliases;

        private Slots _values;

        public void Offer(CanonicalField field, int rank, ReadOnlySpan<char> value, string? valueText)
        {
            ref var slot = ref _values[((int)field * CanonicalFields.MaxAliases) + rank];
            // Blank values are absent: networks send "clickid=" or a lone form-decoded '+' for fields they do not have.
            // An amount is absent only when empty: white space alone is an amount that cannot be read (amount_invalid).
            if (slot is null && !(field == CanonicalField.Amount ? value.IsEmpty : value.IsWhiteSpace()))
            {
                slot = valueText ?? value.ToString();
            }
        }

        /// <summary>
        /// Returns the first alias value that is not an unsubstituted macro; <paramref name="macro"/> is the first
        /// macro seen when no real value exists. Macros and conflicting later aliases add warnings.
        /// </summary>
        public readonly string? Select(CanonicalField field, ref List<PostbackWarning>? warnings, out string? macro)
        {
            macro = null;
            string? chosen = null;
            var chosenRank = -1;
            var offset = (int)field * CanonicalFields.MaxAliases;
            for (var rank = 0; rank < CanonicalFields.MaxAliases; rank++)
            {
                var value = _values[offset + rank];
                if (value is null)
                {
                    continue;
                }

                var alias = CanonicalFields.AliasName(field, rank);
                if (UnsubstitutedMacro.Matches(value))
                {
                    macro ??= Truncate(value);
                    (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.MacroIgnored, $"{alias} was '{Truncate(value)}', a macro the network did not replace; it was ignored.", alias));
                    continue;
                }

                if (chosen is null)
                {
                    chosen = value;
                    chosenRank = rank;
                }
                else if (!string.Equals(chosen, value, StringComparison.Ordinal))
                {
                    var winner = CanonicalFields.AliasName(field, chosenRank);
                    (warnings ??= []).Add(new PostbackWarning(PostbackWarningCodes.ParameterConflict, $"{winner} and {alias} disagree ('{Truncate(chosen)}' and '{Truncate(value)}'); {winner} was used.", winner));
                }
            }

            if (chosen is not null)
            {
                macro = null;
            }

            return chosen;
        }

        [InlineArray(SlotCount)]
        private struct Slots
        {
            private string? _element;
        }
    }
}
