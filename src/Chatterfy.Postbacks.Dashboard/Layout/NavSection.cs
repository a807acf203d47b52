namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>The dashboard's sections: one link each in the navigation, in this order.</summary>
internal enum NavSection
{
    /// <summary>No section is current (the sign-in page).</summary>
    None,

    /// <summary>Postback sets: the list, Create postback, a set's URLs.</summary>
    Postbacks,

    /// <summary>The affiliate-link builder and campaigns.</summary>
    Links,

    /// <summary>The postback log.</summary>
    Log,

    /// <summary>Stored conversions, a conversion's page and a chat user's page.</summary>
    Conversions,

    /// <summary>Stats per set and campaign.</summary>
    Stats,

    /// <summary>Forwarding rules and the outbox.</summary>
    Forwarding,
}
