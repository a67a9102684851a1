import { parseLuxembourgAddress } from './postal-address';

describe('postal addresses', () => {
  it.each([
    [
      "Place de l'Hôtel de Ville, L-4138 Esch-sur-Alzette",
      { lines: ["Place de l'Hôtel de Ville"], postalCode: '4138', city: 'Esch-sur-Alzette', countryCode: 'LU' },
    ],
    [
      '474, route de Thionville, L-5886 Hesperange',
      { lines: ['474, route de Thionville'], postalCode: '5886', city: 'Hesperange', countryCode: 'LU' },
    ],
    [
      ' 42, place Guillaume II ,  l-1648  Luxembourg ',
      { lines: ['42, place Guillaume II'], postalCode: '1648', city: 'Luxembourg', countryCode: 'LU' },
    ],
  ])('reads "%s"', (address, expected) => {
    expect(parseLuxembourgAddress(address)).toEqual(expected);
  });

  it.each([
    'Esch-sur-Alzette',
    'L-4138 Esch-sur-Alzette',
    'Rue X, 4138 Esch',
    'Rue X, L-41380 Esch',
    'Rue X, D-54290 Trier',
  ])('does not guess from "%s"', (address) => {
    expect(parseLuxembourgAddress(address)).toBeNull();
  });
});
