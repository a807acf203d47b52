using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// What an affiliate network knows about one conversion, and how that network turns it into a request: see
/// <see cref="BinomoPostback"/>, <see cref="OneWinPostback"/> and <see cref="CustomPostback"/>. Send it with
/// <see cref="PostbackSimulator.SendAsync(PostbackUrls, SimulatedPostback, PostbackSimulationOptions?, CancellationToken)"/>.
/// </summary>
public abstract class SimulatedPostback
{
    private protected SimulatedPostback(SimulatedEvent simulatedEvent)
    {
        ArgumentNullException.ThrowIfNull(simulatedEvent);
        Event = simulatedEvent;
    }

    /// <summary>Gets the event the network reports.</summary>
    public SimulatedEvent Event { get; }

    /// <summary>Gets which of the set's URLs the network calls. Default <see cref="PostbackTarget.EventUrl"/>.</summary>
    public PostbackTarget Target { get; init; }

    /// <summary>
    /// Gets the conversion's status in the network's own word, e.g. Binom's <c>Hold</c>, a Keitaro-style <c>confirmed</c>
    /// or a word of the set's status map, sent as <see cref="StatusParameter"/>; <see langword="null"/> sends none (a
    /// new conversion is then approved). Send the same conversion again with another word to change its status.
    /// </summary>
    public string? Status { get; init; }

    /// <summary>Gets the parameter that carries <see cref="Status"/>: <c>status</c> (default), <c>cnv_status</c>, <c>conv_status</c> or <c>goal_status</c>.</summary>
    public string StatusParameter { get; init; } = "status";

    /// <summary>Builds the URL the network calls, query included, before the options' parameter overrides.</summary>
    internal abstract string BuildUrl(PostbackUrls urls, PostbackRenderer renderer);

    /// <summary>The URL of <see cref="BuildUrl"/> with <see cref="Status"/> appended to its query, as networks append their status macro.</summary>
    internal string BuildUrlWithStatus(PostbackUrls urls, PostbackRenderer renderer)
    {
        var url = BuildUrl(urls, renderer);
        if (Status is null)
        {
            return url;
        }

        var separator = url.Contains('?', StringComparison.Ordinal) ? (url.EndsWith('?') || url.EndsWith('&') ? "" : "&") : "?";
        return url + separator + QueryText.Escape(StatusParameter) + "=" + QueryText.Escape(Status);
    }

    /// <summary>The URL of <see cref="Target"/> and <see cref="Event"/>, as the set gave it.</summary>
    private protected string SelectUrl(PostbackUrls urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (Target == PostbackTarget.BareUrl)
        {
            return Required(urls.Base, nameof(PostbackUrls.Base));
        }

        if (Event == SimulatedEvent.Registration)
        {
            return Required(urls.Registration, nameof(PostbackUrls.Registration));
        }

        if (Event == SimulatedEvent.FirstDeposit)
        {
            return Required(urls.FirstDeposit, nameof(PostbackUrls.FirstDeposit));
        }

        if (Event == SimulatedEvent.Deposit)
        {
            return Required(urls.Deposit, nameof(PostbackUrls.Deposit));
        }

        // A custom event is the last path segment after the token, with the bare URL's query.
        var bare = Required(urls.Base, nameof(PostbackUrls.Base));
        var query = bare.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? bare : bare[..query];
        return path.TrimEnd('/') + "/" + Uri.EscapeDataString(Event.Name) + (query < 0 ? "" : bare[query..]);

        static string Required(string? url, string name) =>
            string.IsNullOrEmpty(url)
                ? throw new ArgumentException($"The postback URLs have no {name} URL, which this postback calls.", nameof(urls))
                : url;
    }
}
