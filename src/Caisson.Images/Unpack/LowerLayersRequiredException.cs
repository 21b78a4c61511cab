using Caisson.Core.Errors;

namespace Caisson.Images.Unpack;

/// <summary>
/// An overlay layer hard-links to a file of a lower layer, and was unpacked before the lower layers were known;
/// unpack it again with them.
/// </summary>
public sealed class LowerLayersRequiredException(string message) : CaissonException(ErrorKind.FailedPrecondition, message);
