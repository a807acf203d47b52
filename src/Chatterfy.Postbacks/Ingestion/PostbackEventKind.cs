namespace Chatterfy.Postbacks.Ingestion;

/// <summary>The kind of conversion event a postback reports.</summary>
public enum PostbackEventKind
{
    /// <summary>The user registered with the network (Chatterfy's <c>registration</c>).</summary>
    Registration,

    /// <summary>The user's first deposit, FTD (Chatterfy's <c>sale</c>).</summary>
    FirstDeposit,

    /// <summary>A repeat deposit (Chatterfy's <c>resale</c>).</summary>
    Deposit,

    /// <summary>Any other event the network reports by name, e.g. <c>emailconf</c> or <c>withdrawal</c>.</summary>
    Custom,
}
