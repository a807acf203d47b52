using System.Text;
using Chatterfy.Postbacks.Currencies;

namespace Chatterfy.Postbacks.Tests.Currencies;

public sealed class EcbExchangeRateFileTests
{
    [Theory]
    [InlineData("eurofxref-hist.csv")]
    [InlineData("eurofxref-hist.xml")]
    public void Load_EitherFormat_ReadsEveryDayAndRate(string fileName)
    {
        var file = EcbFixture.Load(fileName);

        file.DayCount.Should().Be(3);
        file.FirstDay.Should().Be(EcbFixture.Thursday);
        file.LastDay.Should().Be(EcbFixture.Monday);
        file.TryGetRate("USD", EcbFixture.Friday, out var usd).Should().BeTrue();
        usd.Should().Be(1.0921m);
        file.TryGetRate("INR", EcbFixture.Monday, out var inr).Should().BeTrue();
        inr.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("90.9000", "the rate keeps its digits as published");
        file.TryGetRate("ISK", EcbFixture.Friday, out var isk).Should().BeTrue();
        isk.Should().Be(150.30m);
    }

    [Theory]
    [InlineData("eurofxref-hist.csv")]
    [InlineData("eurofxref-hist.xml")]
    public void TryGetRate_NotAvailableEmptyWeekendOrUnknown_HasNoRate(string fileName)
    {
        var file = EcbFixture.Load(fileName);

        file.TryGetRate("JPY", EcbFixture.Monday, out _).Should().BeFalse("N/A is no rate");
        file.TryGetRate("ISK", EcbFixture.Thursday, out _).Should().BeFalse("an empty cell or a missing element is no rate");
        file.TryGetRate("USD", EcbFixture.Sunday, out _).Should().BeFalse("the ECB publishes no rates at weekends; looking back is the converter's job");
        file.TryGetRate("GBP", EcbFixture.Friday, out _).Should().BeFalse();
        file.TryGetRate("EUR", EcbFixture.Friday, out _).Should().BeFalse("EUR is 1 by definition, answered by the converter");
    }

    [Fact]
    public void Load_StreamWithByteOrderMarkAndLeadingWhiteSpace_TellsFormatByContent()
    {
        var xml = File.ReadAllText(EcbFixture.PathOf("eurofxref-hist.xml"));
        using var stream = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("\n  " + xml)]);

        var file = EcbExchangeRateFile.Load(stream);

        file.DayCount.Should().Be(3);
        stream.CanRead.Should().BeTrue("the stream belongs to the caller and is left open");
    }

    [Theory]
    [InlineData("Day,USD,\n2024-01-05,1.09,\n", "line 1: the header must start with 'Date'")]
    [InlineData("Date,usd,\n2024-01-05,1.09,\n", "line 1: column 2 of the header, 'usd'")]
    [InlineData("Date,USD,USD,\n2024-01-05,1.09,1.09,\n", "line 1: column 3 of the header, 'USD'")]
    [InlineData("Date,USD,\n2024-01-05,1.09,\n05.01.2024,1.09,\n", "line 3: '05.01.2024' is not a date")]
    [InlineData("Date,USD,\n2024-01-05,abc,\n", "line 2: the rate 'abc' of USD is not a decimal greater than zero")]
    [InlineData("Date,USD,\n2024-01-05,1e3,\n", "line 2: the rate '1e3' of USD")]
    [InlineData("Date,USD,\n2024-01-05,0,\n", "line 2: the rate '0' of USD")]
    [InlineData("Date,USD,\n2024-01-05,-1.09,\n", "line 2: the rate '-1.09' of USD")]
    [InlineData("Date,USD,\n2024-01-05,1.09,\n2024-01-05,1.08,\n", "line 3: the day 2024-01-05 appears twice")]
    [InlineData("Date,USD,\n2024-01-05,1.09,1.5,\n", "line 2: the row has more cells than the header has currencies (1)")]
    public void Load_MalformedCsv_ThrowsNamingSourceAndLine(string content, string expected)
    {
        var load = () => EcbExchangeRateFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(content)), "rates.csv");

        load.Should().Throw<InvalidDataException>().WithMessage($"rates.csv, {expected}*");
    }

    [Theory]
    [InlineData("<Cube><Cube time=\"2024-01-05\"><Cube currency=\"USD\" rate=\"1.09\"/></Cube>", "line 1: not well-formed XML")]
    [InlineData("<Cube>\n<Cube time=\"2024-1-5\">\n</Cube></Cube>", "line 2: '2024-1-5' is not a date")]
    [InlineData("<Cube>\n<Cube time=\"2024-01-05\">\n<Cube currency=\"USD\" rate=\"1,09\"/>\n</Cube></Cube>", "line 3: the rate '1,09' of USD")]
    [InlineData("<Cube>\n<Cube time=\"2024-01-05\">\n<Cube currency=\"US\" rate=\"1.09\"/>\n</Cube></Cube>", "line 3: 'US' is not a currency code")]
    [InlineData("<Cube>\n<Cube currency=\"USD\" rate=\"1.09\"/>\n</Cube>", "line 2: the <Cube currency=\"USD\"> element lies outside")]
    [InlineData("<Cube>\n<Cube time=\"2024-01-05\">\n<Cube currency=\"USD\" rate=\"1.09\"/>\n<Cube currency=\"USD\" rate=\"1.08\"/>\n</Cube></Cube>", "line 4: USD has two rates on 2024-01-05")]
    [InlineData("<Cube>\n<Cube time=\"2024-01-05\"/>\n<Cube time=\"2024-01-05\"/>\n</Cube>", "line 3: the day 2024-01-05 appears twice")]
    public void Load_MalformedXml_ThrowsNamingSourceAndLine(string content, string expected)
    {
        var load = () => EcbExchangeRateFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(content)), "rates.xml");

        load.Should().Throw<InvalidDataException>().WithMessage($"rates.xml, {expected}*");
    }

    [Fact]
    public void Load_MalformedFileAtPath_MessageNamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"eurofxref-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "Date,USD,\n2024-01-05,N/A,\n2024-01-04,1.0.9,\n");
        try
        {
            var load = () => EcbExchangeRateFile.Load(path);

            load.Should().Throw<InvalidDataException>().WithMessage($"{path}, line 3: the rate '1.0.9' of USD*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
