namespace NeuroData.Domain.Common;

/// <summary>
/// A business rule refused a change (a wrong state transition, an invalid value). The message is written for the
/// person who asked for the change; the entity is left exactly as it was.
/// </summary>
public class DomainException : Exception
{
    public DomainException(string message)
        : base(message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DomainException()
        : base("A business rule was violated.")
    {
    }
}
