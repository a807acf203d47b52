using System.Globalization;
using System.Runtime.CompilerServices;
using Chatterfy.Postbacks.Ingestion;
using CsvHelper;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// Reads a network's conversion report row by row (CsvHelper), never holding the file: each row is read by the layout's
/// header names and either yielded or reported as invalid.
/// </summary>
internal static class ReconciliationCsvReader
{
    private static readonly CsvReaderOptions Options = new() { TrimWhitespace = true };

    /// <summary>Reads the rows; each is a row or (when it cannot be read) an error, never both.</summary>
    public static async IAsyncEnumerable<(ReconciliationRow? Row, ReconciliationRowError? Error)> ReadAsync(
        Stream csv,
        ReconciliationLayout layout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = CsvReader.Create(csv, Options, true);
        await using var _ = reader.ConfigureAwait(false);
        await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        if (reader.Headers.Count == 0)
        {
            throw new ReconciliationFormatException("The report is empty: its first line must name the columns.");
        }

        string[] header = [.. reader.Headers];
        var clickId = Required(header, layout.ClickId);
        var eventName = Required(header, layout.Event);
        var time = Required(header, layout.Time);
        var amount = Optional(header, layout.Amount);
        var currency = Optional(header, layout.Currency);
        var transactionId = Optional(header, layout.TransactionId);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var line = reader.RowNumber + 1L;
            yield return Read(reader, line, clickId, eventName, time, amount, currency, transactionId);
        }
    }

    private static (ReconciliationRow?, ReconciliationRowError?) Read(CsvReader reader, long line, int clickIdIndex, int eventIndex, int timeIndex, int amountIndex, int currencyIndex, int transactionIdIndex)
    {
        var clickId = Field(reader, clickIdIndex);
        if (clickId is null)
        {
            return (null, new ReconciliationRowError(line, "The click id is empty."));
        }

        if (!PostbackEvent.TryParse(Field(reader, eventIndex), out var conversionEvent))
        {
            return (null, new ReconciliationRowError(line, $"The event '{Field(reader, eventIndex)}' is not an event name."));
        }

        var timeText = Field(reader, timeIndex);
        if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var occurredAt))
        {
            return (null, new ReconciliationRowError(line, $"The time '{timeText}' is not an ISO 8601 time."));
        }

        decimal? amount = null;
        if (Field(reader, amountIndex) is { } amountText)
        {
            if (!decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, new ReconciliationRowError(line, $"The amount '{amountText}' is not a number with a dot."));
            }

            amount = parsed;
        }

        return (new ReconciliationRow
        {
            Line = line,
            ClickId = clickId,
            Event = conversionEvent.Name,
            Amount = amount,
            Currency = Field(reader, currencyIndex)?.ToUpperInvariant(),
            TransactionId = Field(reader, transactionIdIndex),
            Time = occurredAt,
        }, null);
    }

    private static string? Field(CsvReader reader, int index) =>
        index < 0 || index >= reader.FieldCount || reader.GetString(index) is not { Length: > 0 } value ? null : value;

    private static int Required(string[] header, string name) =>
        Optional(header, name) is var index and >= 0
            ? index
            : throw new ReconciliationFormatException($"The report has no '{name}' column; its columns are: {string.Join(", ", header)}.");

    private static int Optional(string[] header, string name) =>
        Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
}
