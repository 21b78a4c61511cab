namespace Caisson.Images.Store;

/// <summary>Names removed and image ids deleted by one removal.</summary>
public sealed record RemoveResult(IReadOnlyList<string> Untagged, IReadOnlyList<string> Deleted);
