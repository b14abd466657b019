namespace NeuroData.Domain.Datasets;

/// <summary>A license a seller can pick for a dataset: its SPDX identifier and its full name.</summary>
public sealed record SpdxLicense(string Id, string Name);

/// <summary>
/// The curated list of licenses offered when publishing: common data, content and software licenses by their SPDX
/// identifiers (https://spdx.org/licenses/), plus <see cref="Proprietary"/> for the seller's own terms.
/// </summary>
public static class SpdxLicenses
{
    public const string Proprietary = "LicenseRef-Proprietary";

    public static IReadOnlyList<SpdxLicense> All { get; } =
    [
        new("CC0-1.0", "Creative Commons Zero v1.0 Universal"),
        new("CC-BY-4.0", "Creative Commons Attribution 4.0 International"),
        new("CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International"),
        new("CC-BY-NC-4.0", "Creative Commons Attribution Non Commercial 4.0 International"),
        new("CC-BY-NC-SA-4.0", "Creative Commons Attribution Non Commercial Share Alike 4.0 International"),
        new("CC-BY-ND-4.0", "Creative Commons Attribution No Derivatives 4.0 International"),
        new("CC-BY-NC-ND-4.0", "Creative Commons Attribution Non Commercial No Derivatives 4.0 International"),
        new("CC-BY-3.0", "Creative Commons Attribution 3.0 Unported"),
        new("CC-BY-SA-3.0", "Creative Commons Attribution Share Alike 3.0 Unported"),
        new("CC-BY-2.0", "Creative Commons Attribution 2.0 Generic"),
        new("CC-PDDC", "Creative Commons Public Domain Dedication and Certification"),
        new("PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0"),
        new("ODC-By-1.0", "Open Data Commons Attribution License v1.0"),
        new("ODbL-1.0", "Open Data Commons Open Database License v1.0"),
        new("CDLA-Permissive-1.0", "Community Data License Agreement Permissive 1.0"),
        new("CDLA-Permissive-2.0", "Community Data License Agreement Permissive 2.0"),
        new("CDLA-Sharing-1.0", "Community Data License Agreement Sharing 1.0"),
        new("OGL-UK-3.0", "Open Government Licence v3.0"),
        new("OGL-Canada-2.0", "Open Government Licence - Canada"),
        new("DL-DE-BY-2.0", "Data licence Germany – attribution – version 2.0"),
        new("DL-DE-ZERO-2.0", "Data licence Germany – zero – version 2.0"),
        new("etalab-2.0", "Etalab Open License 2.0"),
        new("NLOD-2.0", "Norwegian Licence for Open Government Data (NLOD) 2.0"),
        new("C-UDA-1.0", "Computational Use of Data Agreement v1.0"),
        new("O-UDA-1.0", "Open Use of Data Agreement v1.0"),
        new("MIT", "MIT License"),
        new("Apache-2.0", "Apache License 2.0"),
        new("BSD-2-Clause", "BSD 2-Clause \"Simplified\" License"),
        new("BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License"),
        new("ISC", "ISC License"),
        new("0BSD", "BSD Zero Clause License"),
        new("Unlicense", "The Unlicense"),
        new("MPL-2.0", "Mozilla Public License 2.0"),
        new("LGPL-3.0-only", "GNU Lesser General Public License v3.0 only"),
        new("GPL-2.0-only", "GNU General Public License v2.0 only"),
        new("GPL-3.0-only", "GNU General Public License v3.0 only"),
        new("GPL-3.0-or-later", "GNU General Public License v3.0 or later"),
        new("AGPL-3.0-only", "GNU Affero General Public License v3.0"),
        new("EUPL-1.2", "European Union Public License 1.2"),
        new("GFDL-1.3-only", "GNU Free Documentation License v1.3 only"),
        new("OpenRAIL", "Open RAIL"),
        new(Proprietary, "Proprietary (the seller's own terms)"),
    ];

    /// <summary>True when <paramref name="id"/> is one of <see cref="All"/> (exact spelling).</summary>
    public static bool IsKnown(string? id) => id is not null && All.Any(l => string.Equals(l.Id, id, StringComparison.Ordinal));
}
