using System.ComponentModel.DataAnnotations;

namespace Chatterfy.Postbacks.Forwarding.HttpPostback;

/// <summary>
/// Settings of an <c>http-postback</c> forwarding rule (JSON:
/// <c>{"urlTemplate":"https://tracker.example/postback?cid={{click.id}}&amp;payout={{conversion.amount}}","events":["first-deposit"]}</c>).
/// </summary>
public sealed class HttpPostbackSettings
{
    /// <summary>
    /// Gets or sets the URL template, rendered per conversion with the core's macro engine (values percent-encoded). Known
    /// macros: <c>{{click.id}}</c> (also <c>{{tracker.clickid}}</c>), <c>{{conversion.event}}</c>, <c>{{conversion.amount}}</c>,
    /// <c>{{conversion.currency}}</c>, <c>{{conversion.tid}}</c>, <c>{{conversion.id}}</c>, <c>{{conversion.deposit_number}}</c>
    /// (1 for the click's first deposit, 2, 3, … for repeats; empty otherwise), <c>{{conversion.status}}</c> (the status the
    /// message forwards: <c>approved</c>, <c>pending</c>, <c>rejected</c> or <c>chargeback</c>), <c>{{conversion.status_at}}</c>
    /// (when that status took effect, Unix seconds), <c>{{fields.&lt;key&gt;}}</c> (the
    /// conversion's extra values) and <c>{{tracker.&lt;key&gt;}}</c> (the click's fields). A macro without a value renders
    /// empty. The scheme, host and port must be literal. Required.
    /// </summary>
    [Required(ErrorMessage = "The URL template is required, e.g. \"https://tracker.example/postback?clickid={{click.id}}&payout={{conversion.amount}}\".")]
    [Display(Name = "URL template", Description = "The URL called for each conversion, with macros such as {{click.id}} and {{conversion.amount}}.")]
    public string? UrlTemplate { get; set; }

    /// <summary>Gets or sets the HTTP method, <c>GET</c> or <c>POST</c>.</summary>
    /// <value>Defaults to <c>GET</c>: the rendered URL as is.</value>
    [Display(Name = "Method", Description = "GET, or POST to send the query as a body.")]
    public string Method { get; set; } = "GET";

    /// <summary>
    /// Gets or sets the body of a <c>POST</c>: <c>form</c> (<c>application/x-www-form-urlencoded</c>) or <c>json</c> (an object
    /// of string values; a repeated name becomes an array). The body holds the rendered URL's query parameters, and the
    /// request goes to the URL without its query. Only for <c>POST</c>.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: <c>form</c> for <c>POST</c>.</value>
    [Display(Name = "Body format", Description = "For POST: form or json; leave empty for form.")]
    public string? BodyFormat { get; set; }

    /// <summary>Gets or sets the events forwarded (<c>registration</c>, <c>first-deposit</c>, <c>deposit</c>, aliases, custom names).</summary>
    /// <value>Defaults to <see langword="null"/>: every event.</value>
    [Display(Name = "Events", Description = "The events forwarded; leave empty for every event.")]
    public IList<string>? Events { get; set; }
}
