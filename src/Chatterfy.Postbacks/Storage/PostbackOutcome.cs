namespace Chatterfy.Postbacks.Storage;

/// <summary>What became of a processed postback request.</summary>
public enum PostbackOutcome
{
    /// <summary>Stored and credited to its click.</summary>
    Accepted,

    /// <summary>A retry of a stored conversion; nothing new was counted.</summary>
    Duplicate,

    /// <summary>Valid and stored, but not credited: the click is unknown or belongs to another campaign.</summary>
    Unattributed,

    /// <summary>Invalid: answered 400, nothing counted; logged so it can be fixed and replayed.</summary>
    Rejected,

    /// <summary>A status postback changed a stored conversion's status (the log entry names that conversion); nothing new was counted.</summary>
    Changed,
}
