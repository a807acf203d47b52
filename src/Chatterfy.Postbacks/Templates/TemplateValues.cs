using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// The default <see cref="IMacroValueSource"/>: the click id, chat values, tracker fields, user fields and any other
/// named variable.
/// </summary>
/// <remarks>
/// Resolution of a normalized macro name: <c>tracker.clickid</c> → <see cref="ClickId"/>; <c>tracker.&lt;key&gt;</c> →
/// <see cref="TrackerFields"/>; <c>fields.&lt;key&gt;</c> → <see cref="Fields"/>; <c>chatid</c> → <see cref="ChatId"/>;
/// <c>username</c> → <see cref="Username"/>; any other name → <see cref="Variables"/>. A missing or
/// <see langword="null"/> value leaves the macro unknown. Dictionary keys are case-insensitive. An instance is not
/// thread-safe while it is being filled; reading it from several renders at once is fine.
/// </remarks>
public sealed class TemplateValues : IMacroValueSource
{
    private const string TrackerPrefix = "tracker.";
    private const string FieldsPrefix = "fields.";
    private const string ChatIdName = "chatid";
    private const string UsernameName = "username";

    private readonly Dictionary<string, string> _trackerFields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _variables = new(StringComparer.OrdinalIgnoreCase);

    // Looking keys up by span avoids a substring per tracker/fields macro on every render.
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _trackerLookup;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _fieldsLookup;

    /// <summary>Initializes a new instance of the <see cref="TemplateValues"/> class with no values.</summary>
    public TemplateValues()
    {
        _trackerLookup = _trackerFields.GetAlternateLookup<ReadOnlySpan<char>>();
        _fieldsLookup = _fields.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets or sets the click id, rendered by <c>{{tracker.clickid}}</c> and <c>{{chat.tracker.clickid}}</c>.</summary>
    public string? ClickId { get; set; }

    /// <summary>Gets or sets the chat id, rendered by <c>{{chatId}}</c>.</summary>
    public string? ChatId { get; set; }

    /// <summary>Gets or sets the user name, rendered by <c>{{username}}</c>.</summary>
    public string? Username { get; set; }

    /// <summary>Gets the tracker fields by key (case-insensitive), rendered by <c>{{tracker.&lt;key&gt;}}</c>.</summary>
    public IDictionary<string, string> TrackerFields => _trackerFields;

    /// <summary>Gets the user fields by key (case-insensitive), rendered by <c>{{fields.&lt;key&gt;}}</c>.</summary>
    public IDictionary<string, string> Fields => _fields;

    /// <summary>
    /// Gets other values by normalized macro name (case-insensitive), e.g. <c>click.id</c> or <c>conversion.amount</c>.
    /// </summary>
    public IDictionary<string, string> Variables => _variables;

    /// <summary>Creates the values of a click: its id and its tracker fields.</summary>
    /// <param name="click">The click.</param>
    /// <returns>A new instance with <see cref="ClickId"/> and <see cref="TrackerFields"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="click"/> is <see langword="null"/>.</exception>
    public static TemplateValues ForClick(Click click)
    {
        ArgumentNullException.ThrowIfNull(click);
        var values = new TemplateValues { ClickId = click.Id };
        foreach (var (key, value) in click.Fields)
        {
            values._trackerFields[key] = value;
        }

        return values;
    }

    /// <inheritdoc/>
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGetValue(Classify(name), name, key: null, out value);
    }

    /// <summary>Tells which of this class's sources resolves a macro name; see the remarks of <see cref="TemplateValues"/>.</summary>
    /// <param name="name">The macro name.</param>
    /// <returns>The source.</returns>
    internal static MacroSource Classify(string name)
    {
        if (name.Equals(MacroSyntax.ClickIdName, StringComparison.OrdinalIgnoreCase))
        {
            return MacroSource.ClickId;
        }

        if (name.StartsWith(TrackerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return MacroSource.TrackerField;
        }

        if (name.StartsWith(FieldsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return MacroSource.Field;
        }

        if (name.Equals(ChatIdName, StringComparison.OrdinalIgnoreCase))
        {
            return MacroSource.ChatId;
        }

        return name.Equals(UsernameName, StringComparison.OrdinalIgnoreCase) ? MacroSource.Username : MacroSource.Variable;
    }

    /// <summary>
    /// Looks up a macro whose source <see cref="Classify"/> already told: a <see cref="LinkTemplate"/> classifies its
    /// names once, when it is parsed, instead of on every render.
    /// </summary>
    /// <param name="source">The source of <paramref name="name"/>, from <see cref="Classify"/>.</param>
    /// <param name="name">The macro name.</param>
    /// <param name="key">
    /// For a tracker field or field, the key without its prefix (<see cref="KeyOf"/>), or <see langword="null"/> to look
    /// it up from <paramref name="name"/> as a span; a string key takes the dictionary's faster string path.
    /// </param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the value is known.</returns>
    internal bool TryGetValue(MacroSource source, string name, string? key, [NotNullWhen(true)] out string? value)
    {
        switch (source)
        {
            case MacroSource.ClickId:
                value = ClickId;
                break;
            case MacroSource.TrackerField:
                _ = key is null ? _trackerLookup.TryGetValue(name.AsSpan(TrackerPrefix.Length), out value) : _trackerFields.TryGetValue(key, out value);
                break;
            case MacroSource.Field:
                _ = key is null ? _fieldsLookup.TryGetValue(name.AsSpan(FieldsPrefix.Length), out value) : _fields.TryGetValue(key, out value);
                break;
            case MacroSource.ChatId:
                value = ChatId;
                break;
            case MacroSource.Username:
                value = Username;
                break;
            default:
                _ = _variables.TryGetValue(name, out value);
                break;
        }

        // A null forced into a dictionary must not break the NotNullWhen(true) promise.
        return value is not null;
    }

    /// <summary>The dictionary key of a tracker field or field macro (the name without its prefix), else <see langword="null"/>.</summary>
    /// <param name="source">The source of <paramref name="name"/>, from <see cref="Classify"/>.</param>
    /// <param name="name">The macro name.</param>
    /// <returns>The key, or <see langword="null"/>.</returns>
    internal static string? KeyOf(MacroSource source, string name) => source switch
    {
        MacroSource.TrackerField => name[TrackerPrefix.Length..],
        MacroSource.Field => name[FieldsPrefix.Length..],
        _ => null,
    };

    /// <summary>Where <see cref="TemplateValues"/> finds a macro's value.</summary>
    internal enum MacroSource : byte
    {
        /// <summary><see cref="Variables"/>.</summary>
        Variable,

        /// <summary><see cref="ClickId"/>.</summary>
        ClickId,

        /// <summary><see cref="TrackerFields"/>.</summary>
        TrackerField,

        /// <summary><see cref="Fields"/>.</summary>
        Field,

        /// <summary><see cref="ChatId"/>.</summary>
        ChatId,

        /// <summary><see cref="Username"/>.</summary>
        Username,
    }
}
