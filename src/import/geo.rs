//! Distances on the WGS-84 ellipsoid.
//!
//! Consecutive GPS fixes are metres apart, so for them we use the ellipsoid's local radii of
//! curvature at the mid-latitude (meridional M and prime-vertical N): exact to well under a
//! millimetre per kilometre at that scale, and a few multiplications per point. Points further
//! apart than [`LOCAL_LIMIT_DEG`] (a gap in a track) go through Vincenty's inverse formula.

/// WGS-84 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// WGS-84 flattening.
const F: f64 = 1.0 / 298.257_223_563;
/// First eccentricity squared.
const E2: f64 = F * (2.0 - F);
/// Beyond this separation in latitude or longitude, the local approximation is not used.
pub const LOCAL_LIMIT_DEG: f64 = 0.05;

/// Geodesic distance in metres between two points given in degrees.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let dlat = lat2 - lat1;
    let mut dlon = lon2 - lon1;
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    if dlat.abs() < LOCAL_LIMIT_DEG && dlon.abs() < LOCAL_LIMIT_DEG {
        local(lat1, dlat, dlon)
    } else {
        vincenty(lat1, lon1, lat2, lon2).unwrap_or_else(|| haversine(lat1, lon1, lat2, lon2))
    }
}

/// Short-range distance from the local radii of curvature at the mid-latitude.
fn local(lat1: f64, dlat: f64, dlon: f64) -> f64 {
    let phi = (lat1 + dlat / 2.0).to_radians();
    let s = phi.sin();
    let w2 = 1.0 - E2 * s * s;
    let n = A / w2.sqrt();
    let m = n * (1.0 - E2) / w2;
    let dy = m * dlat.to_radians();
    let dx = n * phi.cos() * dlon.to_radians();
    (dx * dx + dy * dy).sqrt()
}

/// Vincenty's inverse formula (1975). `None` when it does not converge (nearly antipodal points).
pub fn vincenty(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> Option<f64> {
    let b = A * (1.0 - F);
    let l = (lon2 - lon1).to_radians();
    let u1 = ((1.0 - F) * lat1.to_radians().tan()).atan();
    let u2 = ((1.0 - F) * lat2.to_radians().tan()).atan();
    let (sin_u1, cos_u1) = u1.sin_cos();
    let (sin_u2, cos_u2) = u2.sin_cos();
    let mut lambda = l;
    for _ in 0..200 {
        let (sin_l, cos_l) = lambda.sin_cos();
        let sin_sigma = ((cos_u2 * sin_l).powi(2) + (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_l).powi(2)).sqrt();
        if sin_sigma == 0.0 {
            return Some(0.0);
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_l;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_l / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        let cos_2sm = if cos2_alpha == 0.0 {
            0.0
        } else {
            cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha
        };
        let c = F / 16.0 * cos2_alpha * (4.0 + F * (4.0 - 3.0 * cos2_alpha));
        let prev = lambda;
        lambda = l
            + (1.0 - c)
                * F
                * sin_alpha
                * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
        if (lambda - prev).abs() < 1e-12 {
            let u_sq = cos2_alpha * (A * A - b * b) / (b * b);
            let big_a = 1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
            let big_b = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
            let delta_sigma = big_b
                * sin_sigma
                * (cos_2sm
                    + big_b / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)
                            - big_b / 6.0
                                * cos_2sm
                                * (-3.0 + 4.0 * sin_sigma * sin_sigma)
                                * (-3.0 + 4.0 * cos_2sm * cos_2sm)));
            return Some(b * big_a * (sigma - delta_sigma));
        }
    }
    None
}

/// Great-circle distance on a sphere of the mean earth radius (IUGG, 6 371 008.8 m).
pub fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// True for a latitude/longitude pair that can be on the earth.
pub fn valid(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vincenty_matches_the_published_example() {
        // Flinders Peak to Buninyong (Vincenty 1975; Geoscience Australia): 54 972.271 m.
        let d = vincenty(
            -37.951_033_416_7,
            144.424_867_888_9,
            -37.652_821_138_9,
            143.926_495_527_8,
        )
        .unwrap();
        assert!((d - 54_972.271).abs() < 0.01, "{d}");
    }

    #[test]
    fn one_degree_of_latitude_at_the_equator_and_the_pole() {
        // Known meridian arc lengths on WGS-84: 110 574.4 m at the equator, 111 693.9 m at the pole.
        let eq = vincenty(-0.5, 0.0, 0.5, 0.0).unwrap();
        assert!((eq - 110_574.4).abs() < 1.0, "{eq}");
        let pole = vincenty(89.0, 0.0, 90.0, 0.0).unwrap();
        assert!((pole - 111_693.9).abs() < 1.0, "{pole}");
    }

    #[test]
    fn the_local_formula_agrees_with_vincenty_for_short_steps() {
        for &(lat, lon) in &[(0.0, 0.0), (45.77, 14.35), (-33.9, 151.2), (64.1, -21.9), (78.2, 15.6)] {
            for &(dlat, dlon) in &[
                (0.00001, 0.0),
                (0.0, 0.0002),
                (0.001, -0.003),
                (0.04, 0.049),
                (-0.049, 0.01),
            ] {
                let a = local(lat, dlat, dlon);
                let b = vincenty(lat, lon, lat + dlat, lon + dlon).unwrap();
                assert!(
                    (a - b).abs() <= 1e-5 * b.max(1.0),
                    "{lat},{lon} +{dlat},{dlon}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn distance_is_symmetric_and_zero_on_the_spot() {
        assert_eq!(distance_m(45.0, 14.0, 45.0, 14.0), 0.0);
        let a = distance_m(45.0, 14.0, 46.0, 15.5);
        let b = distance_m(46.0, 15.5, 45.0, 14.0);
        assert!((a - b).abs() < 1e-6);
        // Across the antimeridian, the short way round.
        let d = distance_m(0.0, 179.9999, 0.0, -179.9999);
        assert!((d - 22.26).abs() < 0.01, "{d}");
    }

    #[test]
    fn haversine_is_within_half_a_percent() {
        let v = vincenty(45.0, 14.0, 45.3, 14.4).unwrap();
        let h = haversine(45.0, 14.0, 45.3, 14.4);
        assert!((v - h).abs() / v < 0.005);
    }
}
