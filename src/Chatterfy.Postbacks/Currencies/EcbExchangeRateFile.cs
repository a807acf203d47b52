using System.Collections.Frozen;
using System.Globalization;
using System.Xml;

namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// The ECB euro reference rates, loaded once from the file the host gives (<c>eurofxref-hist.xml</c> or
/// <c>eurofxref-hist.csv</c>, as published by the European Central Bank) into an immutable table. The library never
/// downloads the file; reload by loading a new instance.
/// </summary>
/// <remarks>
/// The format is told by the content: a file whose first character (after a byte-order mark and white space) is
/// <c>&lt;</c> is read as XML, any other as CSV. A rate is an invariant decimal greater than zero; an <c>N/A</c> or
/// empty cell means the currency has no rate that day. A malformed file throws <see cref="InvalidDataException"/>
/// naming the file and the line.
/// </remarks>
public sealed class EcbExchangeRateFile : IExchangeRateSource
{
    private const string NotAvailable = "N/A";

    private readonly FrozenDictionary<DateOnly, FrozenDictionary<string, decimal>> days;

    private EcbExchangeRateFile(Dictionary<DateOnly, FrozenDictionary<string, decimal>> days)
    {
        this.days = days.ToFrozenDictionary();
        if (days.Count > 0)
        {
            FirstDay = days.Keys.Min();
            LastDay = days.Keys.Max();
        }
    }

    /// <summary>The number of days the file has rates for.</summary>
    public int DayCount => days.Count;

    /// <summary>The earliest day in the file, or <see langword="null"/> for a file without rows.</summary>
    public DateOnly? FirstDay { get; }

    /// <summary>The latest day in the file, or <see langword="null"/> for a file without rows.</summary>
    public DateOnly? LastDay { get; }

    /// <summary>Loads the file at <paramref name="path"/>.</summary>
    /// <param name="path">The path of an <c>eurofxref-hist.xml</c> or <c>eurofxref-hist.csv</c> file.</param>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the path and the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static EcbExchangeRateFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads the rates from <paramref name="stream"/>, which is read to its end and left open.</summary>
    /// <param name="stream">The content of an <c>eurofxref-hist.xml</c> or <c>eurofxref-hist.csv</c> file.</param>
    /// <param name="sourceName">The name error messages give the content, e.g. its path.</param>
    /// <exception cref="InvalidDataException">The content is malformed; the message names <paramref name="sourceName"/> and the line.</exception>
    public static EcbExchangeRateFile Load(Stream stream, string sourceName = "the ECB rates")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var reader = new StreamReader(stream, leaveOpen: true);
        var isXml = SkipWhiteSpace(reader) == '<';
        var table = new Dictionary<DateOnly, FrozenDictionary<string, decimal>>();
        if (isXml)
        {
            ReadXml(reader, sourceName, table);
        }
        else
        {
            ReadCsv(reader, sourceName, table);
        }

        return new EcbExchangeRateFile(table);
    }

    /// <inheritdoc />
    public bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro)
    {
        if (days.TryGetValue(day, out var rates))
        {
            return rates.TryGetValue(currency, out unitsPerEuro);
        }

        unitsPerEuro = 0;
        return false;
    }

    // Peeks past leading white space (the reader has already dropped a byte-order mark) without consuming anything else.
    private static int SkipWhiteSpace(StreamReader reader)
    {
        while (reader.Peek() is var c and >= 0 && char.IsWhiteSpace((char)c))
        {
            reader.Read();
        }

        return reader.Peek();
    }

    private static void ReadCsv(StreamReader reader, string source, Dictionary<DateOnly, FrozenDictionary<string, decimal>> table)
    {
        var header = reader.ReadLine();
        var lineNumber = 1;
        var columns = header?.Split(',') ?? [];
        if (columns.Length < 1 || columns[0].Trim() != "Date")
        {
            throw Malformed(source, lineNumber, "the header must start with 'Date' followed by currency codes (eurofxref-hist.csv).");
        }

        // The ECB ends every line with a comma: the last, empty column is no currency.
        var currencyCount = columns.Length > 1 && columns[^1].Trim().Length == 0 ? columns.Length - 2 : columns.Length - 1;
        var currencies = new string[currencyCount];
        for (var i = 0; i < currencyCount; i++)
        {
            currencies[i] = columns[i + 1].Trim();
            if (!CurrencyCode.IsValid(currencies[i]) || Array.IndexOf(currencies, currencies[i], 0, i) >= 0)
            {
                throw Malformed(source, lineNumber, $"column {i + 2} of the header, '{currencies[i]}', is not a currency code of three upper-case letters or is repeated.");
            }
        }

        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            var extra = cells.Skip(currencyCount + 1).Any(cell => cell.Trim().Length > 0);
            if (extra)
            {
                throw Malformed(source, lineNumber, $"the row has more cells than the header has currencies ({currencyCount}).");
            }

            var day = ParseDay(cells[0].Trim(), source, lineNumber);
            var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
            for (var i = 0; i < currencyCount && i + 1 < cells.Length; i++)
            {
                if (ParseRate(cells[i + 1].Trim(), currencies[i], source, lineNumber) is { } rate)
                {
                    rates.Add(currencies[i], rate);
                }
            }

            AddDay(table, day, rates, source, lineNumber);
        }
    }

    private static void ReadXml(StreamReader reader, string source, Dictionary<DateOnly, FrozenDictionary<string, decimal>> table)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        using var xml = XmlReader.Create(reader, settings);
        var lineInfo = (IXmlLineInfo)xml;
        DateOnly? day = null;
        var dayLine = 0;
        var dayDepth = -1;
        Dictionary<string, decimal>? rates = null;
        try
        {
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "Cube" && xml.Depth == dayDepth && day is { } closed && rates is not null)
                {
                    AddDay(table, closed, rates, source, dayLine);
                    (day, rates) = (null, null);
                    continue;
                }

                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "Cube")
                {
                    continue;
                }

                var line = lineInfo.LineNumber;
                if (xml.GetAttribute("time") is { } time)
                {
                    if (day is not null)
                    {
                        throw Malformed(source, line, "a <Cube time=…> element lies inside another one.");
                    }

                    day = ParseDay(time, source, line);
                    dayLine = line;
                    dayDepth = xml.Depth;
                    rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
                    if (xml.IsEmptyElement)
                    {
                        AddDay(table, day.Value, rates, source, dayLine);
                        (day, rates) = (null, null);
                    }
                }
                else if (xml.GetAttribute("currency") is { } currency)
                {
                    if (rates is null)
                    {
                        throw Malformed(source, line, $"the <Cube currency=\"{currency}\"> element lies outside a <Cube time=…> element.");
                    }

                    if (!CurrencyCode.IsValid(currency))
                    {
                        throw Malformed(source, line, $"'{currency}' is not a currency code of three upper-case letters.");
                    }

                    if (ParseRate(xml.GetAttribute("rate")?.Trim() ?? string.Empty, currency, source, line) is { } rate && !rates.TryAdd(currency, rate))
                    {
                        throw Malformed(source, line, $"{currency} has two rates on {Day(day)}.");
                    }
                }
            }
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{source}, line {e.LineNumber}: not well-formed XML ({e.Message})", e);
        }
    }

    private static DateOnly ParseDay(string text, string source, int line) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw Malformed(source, line, $"'{text}' is not a date in the form yyyy-MM-dd.");

    // null: no rate that day (N/A or empty).
    private static decimal? ParseRate(string text, string currency, string source, int line)
    {
        if (text.Length == 0 || text == NotAvailable)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? rate
            : throw Malformed(source, line, $"the rate '{text}' of {currency} is not a decimal greater than zero.");
    }

    private static void AddDay(Dictionary<DateOnly, FrozenDictionary<string, decimal>> table, DateOnly day, Dictionary<string, decimal> rates, string source, int line)
    {
        if (!table.TryAdd(day, rates.ToFrozenDictionary(StringComparer.Ordinal)))
        {
            throw Malformed(source, line, $"the day {Day(day)} appears twice.");
        }
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";

    private static InvalidDataException Malformed(string source, int line, string problem) => new($"{source}, line {line}: {problem}");
}
