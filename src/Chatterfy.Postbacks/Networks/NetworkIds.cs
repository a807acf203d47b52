namespace Chatterfy.Postbacks.Networks;

/// <summary>The ids of the built-in affiliate networks.</summary>
public static class NetworkIds
{
    /// <summary>Binomo (binpartner): bare postback URL, Binomo appends its own query and event flags.</summary>
    public const string Binomo = "binomo";

    /// <summary>1Win: one URL per event, click id carried in a <c>sub1</c>…<c>sub4</c> macro.</summary>
    public const string OneWin = "1win";

    /// <summary>Any other network: the marketer supplies the network's macro for each field.</summary>
    public const string Custom = "custom";
}
