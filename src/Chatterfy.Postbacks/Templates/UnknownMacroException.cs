namespace Chatterfy.Postbacks.Templates;

/// <summary>Thrown by a template with <see cref="UnknownMacroBehavior.Throw"/> when a macro has no value.</summary>
public sealed class UnknownMacroException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="UnknownMacroException"/> class.</summary>
    public UnknownMacroException()
        : this("A link template macro has no value.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UnknownMacroException"/> class.</summary>
    /// <param name="message">The message.</param>
    public UnknownMacroException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UnknownMacroException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownMacroException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the normalized name of the unknown macro, when known.</summary>
    public string? MacroName { get; init; }
}
