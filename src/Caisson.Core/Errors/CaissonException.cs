namespace Caisson.Core.Errors;

/// <summary>What went wrong, in the terms a gRPC status code (and a person) understands.</summary>
public enum ErrorKind
{
    Internal,
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    Unavailable,
    Unauthenticated,
    PermissionDenied,
    ResourceExhausted,
    Canceled,
    DeadlineExceeded,
}

/// <summary>A domain error carrying its kind; mapped to a gRPC status in exactly one place.</summary>
public class CaissonException : Exception
{
    public CaissonException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public ErrorKind Kind { get; }

    /// <summary>Wraps <paramref name="inner"/> with context, keeping its kind when it has one.</summary>
    public static CaissonException Wrap(string context, Exception inner) => inner switch
    {
        CaissonException c => new CaissonException(c.Kind, $"{context}: {c.Message}", c),
        OperationCanceledException => new CaissonException(ErrorKind.Canceled, $"{context}: canceled", inner),
        _ => new CaissonException(ErrorKind.Internal, $"{context}: {inner.Message}", inner),
    };
}

public sealed class NotFoundException(string message, Exception? inner = null)
    : CaissonException(ErrorKind.NotFound, message, inner);

public sealed class AlreadyExistsException(string message, Exception? inner = null)
    : CaissonException(ErrorKind.AlreadyExists, message, inner);

public sealed class InvalidArgumentException(string message, Exception? inner = null)
    : CaissonException(ErrorKind.InvalidArgument, message, inner);

public sealed class FailedPreconditionException(string message, Exception? inner = null)
    : CaissonException(ErrorKind.FailedPrecondition, message, inner);
