using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
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

    // Case-insensitive dictionaries that a LinkTemplate can also search by a key hashed when it was parsed.
    private readonly MacroValueDictionary _trackerFields = new();
    private readonly MacroValueDictionary _fields = new();
    private readonly MacroValueDictionary _variables = new();

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
        value = Classify(name) switch
        {
            MacroSource.ClickId => ClickId,
            MacroSource.ChatId => ChatId,
            MacroSource.Username => Username,

            // By span: no substring per tracker or fields name.
            MacroSource.TrackerField => _trackerFields.Lookup.TryGetValue(name.AsSpan(TrackerPrefix.Length), out var tracker) ? tracker : null,
            MacroSource.Field => _fields.Lookup.TryGetValue(name.AsSpan(FieldsPrefix.Length), out var field) ? field : null,
            _ => _variables.TryGetValue(name, out var variable) ? variable : null,
        };

        // A null forced into a dictionary must not break the NotNullWhen(true) promise.
        return value is not null;
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
    /// Looks up a macro whose source and key <see cref="Classify"/> and <see cref="KeyOf"/> already told: a
    /// <see cref="LinkTemplate"/> classifies its names, and hashes their keys, once, when it is parsed.
    /// </summary>
    /// <param name="source">The source of the macro, from <see cref="Classify"/>.</param>
    /// <param name="key">For a dictionary source, the key from <see cref="KeyOf"/>; otherwise ignored.</param>
    /// <param name="keyHash">For a dictionary source, the key's hash from <see cref="HashOf"/>; otherwise ignored.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the value is known.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGetValue(MacroSource source, string? key, int keyHash, [NotNullWhen(true)] out string? value)
    {
        value = source switch
        {
            MacroSource.ClickId => ClickId,
            MacroSource.ChatId => ChatId,
            MacroSource.Username => Username,
            MacroSource.TrackerField => _trackerFields.Find(key!, keyHash),
            MacroSource.Field => _fields.Find(key!, keyHash),
            _ => _variables.Find(key!, keyHash),
        };

        return value is not null;
    }

    /// <summary>The hash of a key from <see cref="KeyOf"/> that <see cref="TryGetValue(MacroSource, string?, int, out string?)"/> expects.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The hash.</returns>
    internal static int HashOf(string key) => MacroValueDictionary.HashOf(key);

    /// <summary>
    /// The dictionary key of a macro: for a tracker field or field, the name without its prefix; for a variable, the
    /// name; otherwise <see langword="null"/>.
    /// </summary>
    /// <param name="source">The source of <paramref name="name"/>, from <see cref="Classify"/>.</param>
    /// <param name="name">The macro name.</param>
    /// <returns>The key, or <see langword="null"/>.</returns>
    internal static string? KeyOf(MacroSource source, string name) => source switch
    {
        MacroSource.TrackerField => name[TrackerPrefix.Length..],
        MacroSource.Field => name[FieldsPrefix.Length..],
        MacroSource.Variable => name,
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
