namespace Caisson.Images.Unpack;

/// <summary>How a layer's whiteout entries (<c>.wh.NAME</c>, <c>.wh..wh..opq</c>) are carried out.</summary>
public enum WhiteoutMode
{
    /// <summary>
    /// The root holds only this layer, to be an overlayfs layer: a whiteout becomes a 0/0 character device,
    /// an opaque marker the <c>trusted.overlay.opaque</c> xattr on its directory.
    /// </summary>
    Overlay,

    /// <summary>
    /// The root already holds the parent layers: a whiteout deletes its target, an opaque marker deletes what
    /// the directory held before this layer.
    /// </summary>
    Apply,
}
