namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>The report cannot be reconciled at all: it has no header, or a required column of the layout is missing.</summary>
public sealed class ReconciliationFormatException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ReconciliationFormatException"/> class.</summary>
    public ReconciliationFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReconciliationFormatException"/> class.</summary>
    /// <param name="message">What is wrong with the file.</param>
    public ReconciliationFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReconciliationFormatException"/> class.</summary>
    /// <param name="message">What is wrong with the file.</param>
    /// <param name="innerException">The cause.</param>
    public ReconciliationFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
