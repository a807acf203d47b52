using System.ComponentModel.DataAnnotations;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Networks.Binomo;

/// <summary>Per-set settings of the Binomo network (JSON: <c>{"eventFlags":{"reg":"registration"}}</c>).</summary>
public sealed class BinomoSettings
{
    /// <summary>
    /// Gets or sets the event flags Binomo appends to the bare URL, flag name to event name. A flag counts when its value
    /// is <c>true</c> or <c>1</c>; when several are set, the first in this map wins. Setting the map replaces the defaults.
    /// </summary>
    /// <value>Defaults to <c>reg</c> → registration, <c>ftd</c> → first-deposit, <c>dep</c> → deposit,
    /// <c>conf</c> → conf, <c>install</c> → install (the names Binomo's panel uses unless renamed).</value>
    [Display(Name = "Event flags", Description = "The flag Binomo appends for each event, e.g. reg = registration; leave empty for the names Binomo uses unless renamed.")]
    public IDictionary<string, string>? EventFlags { get; set; }

    internal static IReadOnlyList<KeyValuePair<string, string>> DefaultEventFlags { get; } =
    [
        new("reg", PostbackEvent.RegistrationName),
        new("ftd", PostbackEvent.FirstDepositName),
        new("dep", PostbackEvent.DepositName),
        new("conf", "conf"),
        new("install", "install"),
    ];
}
