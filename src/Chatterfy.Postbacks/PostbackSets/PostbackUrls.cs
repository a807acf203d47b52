namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>
/// The absolute postback URLs of a set, ready to paste into the affiliate network's panel. Network macros such as
/// <c>{sub1}</c> are kept literal, because the network replaces them textually.
/// </summary>
/// <param name="Registration">The URL the network calls when a user registers.</param>
/// <param name="FirstDeposit">The URL the network calls on a user's first deposit (FTD).</param>
/// <param name="Deposit">The URL the network calls on a repeat deposit.</param>
/// <param name="Base">The set's bare URL, for networks configured with one URL whose parameters or flags name the event.</param>
public sealed record PostbackUrls(string Registration, string FirstDeposit, string Deposit, string Base);
