using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// A compiled link template with <c>{{macro}}</c> placeholders: parse once, render many times.
/// </summary>
/// <remarks>
/// <para>
/// A macro is <c>{{</c>, optional whitespace, a name of 1 to 128 characters from <c>[A-Za-z0-9_.-]</c>, optional
/// whitespace and <c>}}</c>, e.g. <c>{{tracker.clickid}}</c>, <c>{{ fields.country }}</c> or <c>{{chatId}}</c>.
/// Names are case-insensitive and normalized to lower case; <c>chat.tracker.clickid</c> is folded into
/// <c>tracker.clickid</c>. Anything else, including malformed braces and single-brace network macros such as
/// <c>{sub1}</c>, is literal text.
/// </para>
/// <para>
/// When the template starts with a URI scheme (<c>https:</c>, <c>tg:</c> …) not followed by whitespace, every value is percent-encoded as URI
/// data (UTF-8; all but <c>A-Z a-z 0-9 - . _ ~</c> escaped), which is correct in the authority, path, query and
/// fragment alike. Other templates receive values verbatim.
/// </para>
/// <para>Instances are immutable and safe to share between threads.</para>
/// </remarks>
public sealed class LinkTemplate
{
    /// <summary>The longest macro name, in characters; a longer <c>{{…}}</c> run is text, not a macro.</summary>
    public const int MaxMacroNameLength = 128;

    // Typical affiliate links are well under this, so most renders never touch the pool.
    private const int StackBufferLength = 512;

    // Each macro occurrence with the literal before it; the text after the last macro follows them.
    private readonly TemplateSegment[] _segments;
    private readonly bool _hasMacros;

    /// <summary>
    /// Tells whether a name, without braces and surrounding whitespace, is a macro name: 1 to
    /// <see cref="MaxMacroNameLength"/> of <c>A-Z a-z 0-9 _ . -</c>.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsMacroName(string? name) => name is not null && MacroSyntax.IsName(name);

    /// <summary>Tells whether a macro name, in any case, names the click id: <c>tracker.clickid</c> or <c>chat.tracker.clickid</c>.</summary>
    /// <param name="name">The name, without braces and surrounding whitespace.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool IsClickIdMacro(string? name) => name is not null && MacroSyntax.IsClickIdName(name);

    private LinkTemplate(string text, UnknownMacroBehavior unknownMacros, bool isUrl, TemplateSegment[] segments, IReadOnlyList<string> macros)
    {
        Text = text;
        UnknownMacros = unknownMacros;
        IsUrl = isUrl;
        _segments = segments;
        Macros = macros;
        _hasMacros = macros.Count > 0;
    }

    /// <summary>Gets the template text as given.</summary>
    public string Text { get; }

    /// <summary>Gets what rendering does with unknown macros.</summary>
    public UnknownMacroBehavior UnknownMacros { get; }

    /// <summary>
    /// Gets a value indicating whether the template is a URL, i.e. starts with a URI scheme such as <c>https:</c> or
    /// <c>tg:</c> followed by a non-whitespace character; values are then percent-encoded.
    /// </summary>
    public bool IsUrl { get; }

    /// <summary>Gets the normalized names of the template's macros, distinct, in order of first appearance.</summary>
    public IReadOnlyList<string> Macros { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="unknownMacros">What rendering does with unknown macros.</param>
    /// <returns>The compiled template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unknownMacros"/> is not a defined value.</exception>
    public static LinkTemplate Parse(string template, UnknownMacroBehavior unknownMacros = UnknownMacroBehavior.LeaveAsIs)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!Enum.IsDefined(unknownMacros))
        {
            throw new ArgumentOutOfRangeException(nameof(unknownMacros), unknownMacros, "Unknown macro behavior.");
        }

        var text = template.AsSpan();
        var segments = new List<TemplateSegment>();
        var macros = new List<string>();
        var literalStart = 0;
        while (MacroSyntax.TryFindNext(text, literalStart, out var macroStart, out var macroLength, out var nameRange))
        {
            var name = Intern(macros, MacroSyntax.Normalize(text[nameRange]));
            var source = TemplateValues.Classify(name);
            var key = TemplateValues.KeyOf(source, name);
            segments.Add(new TemplateSegment(macroStart, macroLength, name, source, key, key is null ? 0 : TemplateValues.HashOf(key)));
            literalStart = macroStart + macroLength;
        }

        return new LinkTemplate(
            template,
            unknownMacros,
            StartsWithScheme(text),
            [.. segments],
            macros.Count == 0 ? Array.Empty<string>() : macros.AsReadOnly());
    }

    /// <summary>Renders the template.</summary>
    /// <param name="values">The macro values.</param>
    /// <returns>The rendered text and the unknown macros.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownMacroException">
    /// <see cref="UnknownMacros"/> is <see cref="UnknownMacroBehavior.Throw"/> and <paramref name="values"/> does not know a macro.
    /// </exception>
    /// <exception cref="InvalidOperationException">The result would exceed the maximum string length.</exception>
    public LinkRenderResult Render(IMacroValueSource values)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<string>? unknown = null;
        var text = !_hasMacros ? Text : RenderCore(values, ref unknown, collectUnknown: true);

        // Cast first: "unknown is null ? [] : unknown" would type [] as a new List, not the shared empty array.
        return new LinkRenderResult(text, (IReadOnlyList<string>?)unknown ?? []);
    }

    /// <summary>
    /// Renders the template to its text alone: the same text as <see cref="Render"/>'s <see cref="LinkRenderResult.Value"/>,
    /// for callers that do not need the unknown macros. It allocates nothing but the string (none when the template has
    /// no macros).
    /// </summary>
    /// <param name="values">The macro values.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownMacroException">
    /// <see cref="UnknownMacros"/> is <see cref="UnknownMacroBehavior.Throw"/> and <paramref name="values"/> does not know a macro.
    /// </exception>
    /// <exception cref="InvalidOperationException">The result would exceed the maximum string length.</exception>
    public string RenderToString(IMacroValueSource values)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<string>? unknown = null;
        return !_hasMacros ? Text : RenderCore(values, ref unknown, collectUnknown: false);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    // The stack buffer is written before it is read, so [SkipLocalsInit] saves clearing 1 KiB per render. It is
    // allocated here, in a method without a loop, so that the loop in Write is compiled with tiering and its profile.
    // The loop is compiled once per kind of value source (a struct type argument), so the SDK's own source is read
    // without an interface call or a test per macro.
    [SkipLocalsInit]
    private string RenderCore(IMacroValueSource values, ref List<string>? unknown, bool collectUnknown)
    {
        Span<char> buffer = stackalloc char[StackBufferLength];
        return values is TemplateValues templateValues
            ? Write(new ClassifiedLookup(templateValues), buffer, ref unknown, collectUnknown)
            : Write(new NameLookup(values), buffer, ref unknown, collectUnknown);
    }

    // One pass: each literal and value is written into the buffer, which moves to a pooled array if it runs out, and
    // the result is one copy of it. (Measuring first and writing straight into string.Create was slower: each value is
    // looked at twice, and the lookups must be kept for the second pass.) The SDK's own value source resolves each name
    // by the source classified at parse time; others get the name, once per occurrence, in order.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private string Write<TLookup>(TLookup values, Span<char> buffer, ref List<string>? unknown, bool collectUnknown)
        where TLookup : struct, IValueLookup
    {
        // Not returned to the pool if an unknown macro or an oversized result throws: the pool only misses an array.
        char[]? rented = null;
        var text = Text.AsSpan();
        var written = 0;
        var literalStart = 0;
        foreach (ref readonly var segment in _segments.AsSpan())
        {
            var literal = text[literalStart..segment.Start];
            if (literal.Length > buffer.Length - written)
            {
                buffer = Grow(buffer, written, literal.Length, ref rented);
            }

            literal.CopyTo(buffer[written..]);
            written += literal.Length;
            literalStart = segment.Start + segment.Length;

            ReadOnlySpan<char> piece;
            if (values.TryGetValue(segment, out var value))
            {
                piece = value;
                var reserved = IsUrl ? UriDataEscaper.IndexOfReserved(piece) : -1;
                if (reserved >= 0)
                {
                    // The bound costs nothing and almost always fits; the exact length costs a pass over the value.
                    if ((long)piece.Length * UriDataEscaper.MaxExpansion > buffer.Length - written)
                    {
                        buffer = Grow(buffer, written, reserved + UriDataEscaper.GetEscapedLengthOfRest(piece[reserved..]), ref rented);
                    }

                    var destination = buffer[written..];
                    piece[..reserved].CopyTo(destination);
                    written += reserved + UriDataEscaper.EscapeRest(piece[reserved..], destination[reserved..]);
                    continue;
                }
            }
            else if (OnUnknown(segment, ref unknown, collectUnknown))
            {
                piece = text.Slice(segment.Start, segment.Length);
            }
            else
            {
                continue;
            }

            if (piece.Length > buffer.Length - written)
            {
                buffer = Grow(buffer, written, piece.Length, ref rented);
            }

            piece.CopyTo(buffer[written..]);
            written += piece.Length;
        }

        var tail = text[literalStart..];
        if (tail.Length > buffer.Length - written)
        {
            buffer = Grow(buffer, written, tail.Length, ref rented);
        }

        tail.CopyTo(buffer[written..]);
        written += tail.Length;
        var result = new string(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }

    /// <summary>
    /// Moves the <paramref name="written"/> characters of <paramref name="buffer"/> to a pooled array with room for
    /// <paramref name="additional"/> more, returning the array it replaces (if pooled) to the pool.
    /// </summary>
    private static Span<char> Grow(scoped ReadOnlySpan<char> buffer, int written, long additional, scoped ref char[]? rented)
    {
        var required = written + additional;
        if (required > Array.MaxLength)
        {
            // Only reachable with values of over a hundred million characters; no string could hold the result.
            throw new InvalidOperationException("The rendered text would be longer than the longest possible string.");
        }

        var next = ArrayPool<char>.Shared.Rent((int)Math.Max(required, Math.Min(2L * buffer.Length, Array.MaxLength)));
        buffer[..written].CopyTo(next);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        rented = next;
        return next;
    }

    /// <summary>Applies <see cref="UnknownMacros"/> to an unknown macro; returns whether its text stays in the result.</summary>
    private bool OnUnknown(in TemplateSegment segment, ref List<string>? unknown, bool collectUnknown)
    {
        var name = segment.MacroName;
        if (UnknownMacros == UnknownMacroBehavior.Throw)
        {
            throw new UnknownMacroException($"The link template macro {Text.AsSpan(segment.Start, segment.Length)} has no value.") { MacroName = name };
        }

        if (collectUnknown)
        {
            unknown ??= [];
            if (!unknown.Contains(name))
            {
                unknown.Add(name);
            }
        }

        return UnknownMacros == UnknownMacroBehavior.LeaveAsIs;
    }

    // Segments share one string instance per name, so a template holds each name once however often it repeats.
    private static string Intern(List<string> macros, string name)
    {
        foreach (var existing in macros)
        {
            if (string.Equals(existing, name, StringComparison.Ordinal))
            {
                return existing;
            }
        }

        macros.Add(name);
        return name;
    }

    // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". A URL never has whitespace right after the
    // colon, while messages such as "Code: {{fields.code}}" do; requiring the next character keeps those plain text.
    private static bool StartsWithScheme(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ':')
            {
                return i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Looks a macro occurrence's value up in one kind of value source.</summary>
    private interface IValueLookup
    {
        bool TryGetValue(in TemplateSegment segment, [NotNullWhen(true)] out string? value);
    }

    /// <summary>The SDK's <see cref="TemplateValues"/>, by the source <see cref="Parse"/> classified.</summary>
    private readonly struct ClassifiedLookup(TemplateValues values) : IValueLookup
    {
        public bool TryGetValue(in TemplateSegment segment, [NotNullWhen(true)] out string? value) =>
            values.TryGetValue(segment.Source, segment.Key, segment.KeyHash, out value);
    }

    /// <summary>Any other <see cref="IMacroValueSource"/>, by the normalized name.</summary>
    private readonly struct NameLookup(IMacroValueSource values) : IValueLookup
    {
        public bool TryGetValue(in TemplateSegment segment, [NotNullWhen(true)] out string? value) =>
            values.TryGetValue(segment.MacroName, out value);
    }
}
