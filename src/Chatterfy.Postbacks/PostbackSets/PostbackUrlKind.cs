namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>Identifies one of the URLs generated for a postback set.</summary>
public enum PostbackUrlKind
{
    /// <summary>The set's bare URL, <c>{base}{prefix}/{token}</c>: the event comes from parameters or network flags.</summary>
    Base,

    /// <summary>The registration URL, <c>{base}{prefix}/{token}/registration</c>.</summary>
    Registration,

    /// <summary>The first deposit (FTD) URL, <c>{base}{prefix}/{token}/first-deposit</c>.</summary>
    FirstDeposit,

    /// <summary>The repeat deposit URL, <c>{base}{prefix}/{token}/deposit</c>.</summary>
    Deposit,
}
