namespace Caisson.Shim;

/// <summary>A failure the shim reports (to create-error, to its log, or to a client) and that ends the request or the shim.</summary>
internal sealed class ShimException(string message) : Exception(message);
