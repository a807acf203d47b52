using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>The outcome of parsing a postback: a conversion or a rejection, with warnings either way.</summary>
public sealed class PostbackParseResult
{
    private PostbackParseResult(Conversion? conversion, PostbackRejection? rejection, IReadOnlyList<PostbackWarning> warnings)
    {
        Conversion = conversion;
        Rejection = rejection;
        Warnings = warnings;
    }

    /// <summary>Gets the conversion, or <see langword="null"/> when the postback was rejected.</summary>
    public Conversion? Conversion { get; }

    /// <summary>Gets the rejection, or <see langword="null"/> when the postback is valid.</summary>
    public PostbackRejection? Rejection { get; }

    /// <summary>Gets the warnings, in the order they arose.</summary>
    public IReadOnlyList<PostbackWarning> Warnings { get; }

    /// <summary>Gets a value indicating whether the postback is valid.</summary>
    [MemberNotNullWhen(true, nameof(Conversion))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Conversion is not null;

    /// <summary>Creates a successful result.</summary>
    /// <param name="conversion">The conversion.</param>
    /// <param name="warnings">The warnings.</param>
    /// <returns>The result.</returns>
    public static PostbackParseResult Success(Conversion conversion, IReadOnlyList<PostbackWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(warnings);
        return new(conversion, null, warnings);
    }

    /// <summary>Creates a rejected result.</summary>
    /// <param name="rejection">Why the postback was refused.</param>
    /// <param name="warnings">The warnings gathered before the rejection.</param>
    /// <returns>The result.</returns>
    public static PostbackParseResult Rejected(PostbackRejection rejection, IReadOnlyList<PostbackWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        ArgumentNullException.ThrowIfNull(warnings);
        return new(null, rejection, warnings);
    }
}
