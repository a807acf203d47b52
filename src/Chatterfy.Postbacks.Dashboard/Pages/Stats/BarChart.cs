using System.Globalization;
using Chatterfy.Postbacks.Dashboard.Html;

namespace Chatterfy.Postbacks.Dashboard.Pages.Stats;

/// <summary>
/// A grouped bar chart as server-rendered inline SVG (no script): one group of bars per category, one bar per series
/// (<c>class="series-N"</c>), axis labels, a <c>title</c> and <c>role="img"</c> with a summary, a legend, and the same
/// numbers in a table. Bar lengths are computed here from the exact values; the values themselves are shown as text.
/// </summary>
internal sealed class BarChart
{
    private const int PlotHeight = 180;
    private const int Top = 12;
    private const int Left = 56;
    private const int Bottom = 44;
    private const int BarWidth = 10;
    private const int GroupGap = 8;
    private const int MaxCategoryLabels = 12;

    /// <summary>Gets the chart's id, unique in the page (prefix of its element ids).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the chart's title, e.g. <c>Daily counts</c>.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the category axis' label, e.g. <c>UTC day</c>.</summary>
    public required string CategoryAxis { get; init; }

    /// <summary>Gets the value axis' label, e.g. <c>Count</c>.</summary>
    public required string ValueAxis { get; init; }

    /// <summary>Gets the series' names, in order (series N has class <c>series-N</c>).</summary>
    public required IReadOnlyList<string> Series { get; init; }

    /// <summary>Gets the names of columns shown in the table only, not as bars (e.g. a breakdown of a series), after the series.</summary>
    public IReadOnlyList<string> TableOnly { get; init; } = [];

    /// <summary>Gets the categories, in order, each with one exact value per series, then one per <see cref="TableOnly"/> column.</summary>
    public required IReadOnlyList<(string Category, IReadOnlyList<decimal> Values)> Groups { get; init; }

    /// <summary>Gets how each value is written as text (exactly, invariant culture).</summary>
    public Func<decimal, string> Format { get; init; } = value => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the chart, its legend and its table.</summary>
    /// <param name="summary">What the chart shows, for its accessible name.</param>
    /// <returns>The fragment.</returns>
    public Markup Write(string summary)
    {
        var max = Groups.SelectMany(g => g.Values.Take(Series.Count)).DefaultIfEmpty(0m).Max();
        var groupWidth = (Series.Count * BarWidth) + GroupGap;
        var width = Left + Math.Max(Groups.Count * groupWidth, 240) + 8;
        var height = Top + PlotHeight + Bottom;
        var baseline = Top + PlotHeight;
        var labelEvery = Math.Max(1, (int)Math.Ceiling(Groups.Count / (double)MaxCategoryLabels));

        var bars = new List<Markup>();
        for (var g = 0; g < Groups.Count; g++)
        {
            var (category, values) = Groups[g];
            var x0 = Left + (g * groupWidth) + (GroupGap / 2);
            for (var s = 0; s < Series.Count; s++)
            {
                var length = max <= 0m ? 0m : Math.Round(values[s] / max * PlotHeight, 2);
                bars.Add(Markup.Of($"""<rect class="series-{s}" x="{x0 + (s * BarWidth)}" y="{baseline - length:0.##}" width="{BarWidth - 1}" height="{length:0.##}"><title>{category}: {Series[s]} {Format(values[s])}</title></rect>"""));
            }

            if (g % labelEvery == 0)
            {
                bars.Add(Markup.Of($"""<text x="{x0}" y="{baseline + 14}">{category}</text>"""));
            }
        }

        var legend = Series.Select((name, s) => Markup.Of($"""<li><span class="swatch series-{s}" aria-hidden="true"></span>{name}</li>"""));
        var header = Series.Concat(TableOnly).Select(name => Markup.Of($"""<th scope="col" class="number">{name}</th>"""));
        var rows = Groups.Select(g => Markup.Of($"""
            <tr><th scope="row">{g.Category}</th>{g.Values.Select(v => Markup.Of($"""<td class="number">{Format(v)}</td>"""))}</tr>
            """));
        return Markup.Of($"""
            <figure class="chart-figure" id="{Id}">
            <svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{summary}">
            <title id="{Id}-title">{Title}</title>
            <desc id="{Id}-desc">{summary}</desc>
            <line x1="{Left}" y1="{baseline}" x2="{width - 8}" y2="{baseline}" class="axis"></line>
            <line x1="{Left}" y1="{Top}" x2="{Left}" y2="{baseline}" class="axis"></line>
            <text x="{Left - 4}" y="{Top + 4}" text-anchor="end">{Format(max)}</text>
            <text x="{Left - 4}" y="{baseline}" text-anchor="end">0</text>
            <text x="12" y="{Top + (PlotHeight / 2)}" transform="rotate(-90 12 {Top + (PlotHeight / 2)})" text-anchor="middle">{ValueAxis}</text>
            {Markup.Join(bars)}
            <text x="{Left + ((width - Left) / 2)}" y="{height - 6}" text-anchor="middle">{CategoryAxis}</text>
            </svg>
            <figcaption><ul class="legend">{legend}</ul></figcaption>
            </figure>
            {Layout.Display.ScrollingTable(Title, Markup.Of($"""
                <table id="{Id}-table">
                <caption class="visually-hidden">{Title}</caption>
                <thead><tr><th scope="col">{CategoryAxis}</th>{header}</tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """))}
            """);
    }
}
