using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Networks;

/// <summary>
/// A network adapter configured for one postback set: everything that differs between networks, as data and a few hooks.
/// Profiles are immutable and cached per set, so per-request members must not allocate needlessly.
/// </summary>
public abstract class NetworkProfile
{
    /// <summary>
    /// Gets the ISO 4217 currency applied when a postback carries an amount but no currency.
    /// </summary>
    /// <value>Defaults to <c>USD</c>, the currency Binomo and 1Win report in.</value>
    public virtual string DefaultCurrency => "USD";

    /// <summary>
    /// Gets the parameter of the affiliate link that must carry the click-id macro (Binomo <c>click_id</c>, 1Win the
    /// configured sub), or <see langword="null"/> when the network does not say. Used by the link check.
    /// </summary>
    public virtual string? ClickIdLinkParameter => null;

    /// <summary>
    /// Gets the query string appended to the generated URL of the given kind, including its leading <c>?</c>, or an
    /// empty string for none. Network macros stay literal: the network replaces them textually.
    /// </summary>
    /// <param name="kind">Which of the set's URLs is being built.</param>
    /// <returns>The query string, e.g. <c>?clickid={sub1}&amp;amount={amount}</c>.</returns>
    public abstract string GetPostbackQuery(PostbackUrlKind kind);

    /// <summary>
    /// Maps a network-specific incoming parameter name to a canonical one, e.g. Binomo's <c>user_id</c> to
    /// <c>fields.user_id</c>. Canonical names (<c>clickid</c>, <c>amount</c>, <c>fields.*</c> …) need no mapping.
    /// </summary>
    /// <param name="name">The incoming parameter name.</param>
    /// <param name="canonicalName">The canonical name it stands for.</param>
    /// <returns><see langword="true"/> when the name is mapped.</returns>
    public virtual bool TryMapParameter(string name, [NotNullWhen(true)] out string? canonicalName)
    {
        canonicalName = null;
        return false;
    }

    /// <summary>
    /// Finds the event from network-specific flags (Binomo's <c>reg=true</c>) when the URL and the standard
    /// <c>tracker.event</c>/<c>event</c> parameters do not name it, or contradict it.
    /// </summary>
    /// <param name="parameters">The request's decoded parameters.</param>
    /// <returns>The flagged event, or <see langword="null"/> when no flag is set.</returns>
    public virtual PostbackEvent? DetectEventFromFlags(PostbackParameters parameters) => null;

    /// <summary>
    /// Gets a value indicating whether an event flag wins over the event named by the URL path (Binomo: a user pasted
    /// the registration URL into the single-URL field, so the flag tells the truth). The result carries a warning.
    /// </summary>
    public virtual bool EventFlagsOverridePath => false;
}
