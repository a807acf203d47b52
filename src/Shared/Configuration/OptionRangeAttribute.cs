using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Chatterfy.Postbacks.Configuration;

/// <summary>
/// The range of one option, for the generated options validators (<c>[OptionsValidator]</c>): a
/// <see cref="RangeAttribute"/> whose failure starts with the option's configuration path and ends with the value given,
/// e.g. <c>Postbacks:Sqlite:BusyTimeout must be from 00:00:00 to 00:10:00 (got -00:00:01).</c>, as the docs show. Limits
/// and values are read and written in the invariant culture.
/// </summary>
/// <remarks>
/// <see cref="ValidationAttribute.ErrorMessage"/> is a composite format: <c>{0}</c> the configuration path, <c>{1}</c> the
/// minimum, <c>{2}</c> the maximum, <c>{3}</c> the value. The failure carries no member name, so the options validator
/// reports it as written, without a <c>Member:</c> prefix.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class OptionRangeAttribute : RangeAttribute
{
    /// <summary>The message unless <see cref="ValidationAttribute.ErrorMessage"/> says otherwise.</summary>
    public const string FromTo = "{0} must be from {1} to {2} (got {3}).";

    /// <summary>The wording of the forwarding options' messages.</summary>
    public const string Between = "{0} must be between {1} and {2} (got {3}).";

    /// <summary>For a range with no practical maximum.</summary>
    public const string AtLeast = "{0} must be at least {1} (got {3}).";

    /// <summary>The longest <see cref="TimeSpan"/>, the maximum of a duration that is only bounded below.</summary>
    public const string MaxTimeSpan = "10675199.02:48:05.4775807";

    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class for an <see cref="int"/> option.</summary>
    public OptionRangeAttribute(string path, int minimum, int maximum)
        : base(minimum, maximum) => Path = Init(path);

    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class for a <see cref="double"/> option.</summary>
    public OptionRangeAttribute(string path, double minimum, double maximum)
        : base(minimum, maximum) => Path = Init(path);

    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class for an option of another type, e.g. <see cref="TimeSpan"/>.</summary>
    public OptionRangeAttribute(string path, Type type, string minimum, string maximum)
        : base(type, minimum, maximum) => Path = Init(path);

    /// <summary>Gets the option's configuration path, e.g. <c>Postbacks:Sqlite:BusyTimeout</c>.</summary>
    public string Path { get; }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value)
            ? ValidationResult.Success
            : new ValidationResult(string.Format(CultureInfo.InvariantCulture, ErrorMessageString, Path, Minimum, Maximum, value));

    private string Init(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
        ErrorMessage = FromTo;
        return path;
    }
}
